/** A POST /transactions body as the platform's contract allows it (CONTRACT.md section 4). */
export interface TransactionRequest {
  accountId: string;
  type: 'deposit' | 'withdrawal' | 'charge' | 'refund';
  amount: string;
  currency: string;
  status: 'pending' | 'completed';
  description: string | null;
  metadata: Record<string, string>;
}

export interface FieldError {
  field: string;
  message: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const AMOUNT = /^[1-9][0-9]{0,17}$/;
const CURRENCY = /^[A-Z]{3}$/;
const TYPES = ['deposit', 'withdrawal', 'charge', 'refund'];
const STATUSES = ['pending', 'completed'];
const KNOWN = new Set(['accountId', 'type', 'amount', 'currency', 'status', 'description', 'metadata']);

/** Checks a parsed body; answers the request or every field that is wrong. */
export function validateTransactionRequest(body: unknown): TransactionRequest | FieldError[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return [{ field: '', message: 'must be a JSON object' }];
  }
  const b = body as Record<string, unknown>;
  const errors: FieldError[] = Object.keys(b)
    .filter((key) => !KNOWN.has(key))
    .map((field) => ({ field, message: 'is not allowed' }));
  const check = (field: string, ok: boolean, message: string) => ok || errors.push({ field, message });
  check('accountId', typeof b.accountId === 'string' && UUID.test(b.accountId), 'must be a UUID');
  check('type', TYPES.includes(b.type as string), `must be one of ${TYPES.join(', ')}`);
  check('amount', typeof b.amount === 'string' && AMOUNT.test(b.amount), 'must be a string of digits');
  check('currency', typeof b.currency === 'string' && CURRENCY.test(b.currency), 'must be an ISO 4217 code');
  check('status', b.status === undefined || STATUSES.includes(b.status as string), 'must be pending or completed');
  check(
    'description',
    b.description === undefined || (typeof b.description === 'string' && b.description.length <= 500),
    'must be a string of at most 500 characters',
  );
  const metadata = b.metadata;
  check(
    'metadata',
    metadata === undefined ||
      (typeof metadata === 'object' &&
        metadata !== null &&
        !Array.isArray(metadata) &&
        Object.keys(metadata).length <= 20 &&
        Object.values(metadata).every((value) => typeof value === 'string' && value.length <= 500)),
    'must hold at most 20 string values of at most 500 characters',
  );
  if (errors.length > 0) return errors;
  return {
    accountId: b.accountId as string,
    type: b.type as TransactionRequest['type'],
    amount: b.amount as string,
    currency: b.currency as string,
    status: (b.status as TransactionRequest['status'] | undefined) ?? 'completed',
    description: (b.description as string | undefined) ?? null,
    metadata: (metadata as Record<string, string> | undefined) ?? {},
  };
}
