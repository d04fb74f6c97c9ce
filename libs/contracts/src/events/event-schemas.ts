/** JSON Schemas (draft 2020-12 subset) of each event's `data`, published in the AsyncAPI document. */

const uuid = { type: 'string', format: 'uuid' } as const;
const timestamp = { type: 'string', format: 'date-time' } as const;
const minorUnits = { type: 'string', pattern: '^(0|[1-9][0-9]{0,17})$', description: 'integer minor units' } as const;
const currency = { type: 'string', pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' } as const;
const transactionStatus = { type: 'string', enum: ['pending', 'completed', 'failed', 'reversed'] } as const;

const transactionProperties = {
  id: uuid,
  accountId: uuid,
  type: { type: 'string', enum: ['deposit', 'withdrawal', 'charge', 'refund'] },
  amount: minorUnits,
  currency,
  status: transactionStatus,
  description: { type: ['string', 'null'], maxLength: 500 },
  metadata: { type: 'object', additionalProperties: { type: 'string', maxLength: 500 }, maxProperties: 20 },
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

export const ACCOUNT_BALANCE_UPDATED_SCHEMA = object({
  accountId: uuid,
  balance: { type: 'string', pattern: '^(0|[1-9][0-9]{0,18})$' },
  currency,
  version: { type: 'integer', minimum: 1 },
  transactionId: uuid,
});

export const CAMPAIGN_STATUS_SCHEMA = object({
  id: uuid,
  accountId: uuid,
  name: { type: 'string' },
  reason: { type: 'string' },
});

export const WEBHOOK_DISABLED_SCHEMA = object({
  id: uuid,
  url: { type: 'string', format: 'uri' },
  reason: { type: 'string', enum: ['gone', 'failing'] },
});

export const WEBHOOK_TEST_SCHEMA = object({ webhookId: uuid, message: { type: 'string' } });
