/**
 * JSON Schemas (draft 2020-12) of each event's `data`: published in the AsyncAPI document, checked
 * by every consumer before a message has any effect (CONTRACT.md section 9), and what the
 * producers' tests validate their events against. Values are as strict as the HTTP API's
 * (section 3), so a forged `"1e400"`, `"-50"` or `"not-a-uuid"` fails here; further fields are
 * allowed, since adding one is not a breaking change.
 */

/** Canonical 8-4-4-4-12 hex form only: ajv-formats' `uuid` also takes a `urn:uuid:` prefix. */
const uuid = {
  type: 'string',
  format: 'uuid',
  pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
} as const;
const timestamp = { type: 'string', format: 'date-time', maxLength: 40 } as const;
/** An amount: at least "1", no leading zeros, at most 18 digits (CONTRACT.md section 3). */
const minorUnits = {
  type: 'string',
  pattern: '^[1-9][0-9]{0,17}$',
  description: 'integer minor units as a string of digits',
} as const;
/** A balance: a sum of amounts, zero included, within PostgreSQL's bigint. */
const balance = {
  type: 'string',
  pattern: '^(0|[1-9][0-9]{0,18})$',
  description: 'integer minor units as a string of digits',
} as const;
const currency = { type: 'string', pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' } as const;
const transactionStatus = { type: 'string', enum: ['pending', 'completed', 'failed', 'reversed'] } as const;
const text = (maxLength: number) => ({ type: 'string', maxLength }) as const;

const transactionProperties = {
  id: uuid,
  accountId: uuid,
  type: { type: 'string', enum: ['deposit', 'withdrawal', 'charge', 'refund'] },
  amount: minorUnits,
  currency,
  status: transactionStatus,
  description: { type: ['string', 'null'], maxLength: 500 },
  metadata: {
    type: 'object',
    propertyNames: { minLength: 1, maxLength: 40 },
    additionalProperties: text(500),
    maxProperties: 20,
  },
  createdAt: timestamp,
  updatedAt: timestamp,
} as const;

const object = (properties: Record<string, unknown>) => ({
  type: 'object',
  properties,
  required: Object.keys(properties),
  additionalProperties: true,
});

export const TRANSACTION_SCHEMA = object(transactionProperties);

export const TRANSACTION_UPDATED_SCHEMA = object({ ...transactionProperties, previousStatus: transactionStatus });

export const ACCOUNT_SCHEMA = object({
  id: uuid,
  name: { type: 'string', minLength: 1, maxLength: 200 },
  currency,
  balance,
  createdAt: timestamp,
  updatedAt: timestamp,
});

export const ACCOUNT_BALANCE_UPDATED_SCHEMA = object({
  accountId: uuid,
  balance,
  currency,
  version: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER },
  transactionId: uuid,
});

export const CAMPAIGN_STATUS_SCHEMA = object({
  id: uuid,
  accountId: uuid,
  name: { type: 'string', minLength: 1, maxLength: 200 },
  reason: text(500),
});

export const WEBHOOK_DISABLED_SCHEMA = object({
  id: uuid,
  url: { type: 'string', format: 'uri', maxLength: 2048 },
  reason: { type: 'string', enum: ['gone', 'failing'] },
});

export const WEBHOOK_TEST_SCHEMA = object({ webhookId: uuid, message: text(500) });

/** The envelope's `id` and the ids in `data` share one form. */
export const UUID_SCHEMA = uuid;
