/**
 * The same-work chain's ad-engine consumer: balance events in batches, each batch one statement
 * (atomic on its own): the event ids into the inbox, and for the events not seen before, the
 * newest version per account upserted into the funds projection unless a newer one is known
 * (events may arrive out of order or twice). Acked after it commits.
 */
import { onTerminate, roleEnvironment } from './role-environment';
import { consumeInBatches } from './consumer';
import { Pool } from 'pg';

const { databaseUrl, rabbitmqUrl } = roleEnvironment();
const QUEUE = 'ad-engine.funds';
const pool = new Pool({ connectionString: databaseUrl, max: 2 });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface BalanceEvent {
  id: string;
  account_id: string;
  balance: string;
  currency: string;
  version: number;
}

const APPLY_BATCH = `WITH incoming AS (
    SELECT * FROM json_to_recordset($1::json)
      AS e(id text, account_id uuid, balance bigint, currency char(3), version integer)
  ), fresh AS (
    INSERT INTO ad_engine.inbox (consumer, event_id) SELECT '${QUEUE}', id FROM incoming
    ON CONFLICT DO NOTHING RETURNING event_id
  ), newest AS (
    SELECT DISTINCT ON (i.account_id) i.* FROM incoming i JOIN fresh f ON f.event_id = i.id
    ORDER BY i.account_id, i.version DESC
  )
  INSERT INTO ad_engine.funds AS f (account_id, balance, currency, version, updated_at)
  SELECT account_id, balance, currency, version, now() FROM newest
  ON CONFLICT (account_id) DO UPDATE
    SET balance = EXCLUDED.balance, currency = EXCLUDED.currency, version = EXCLUDED.version, updated_at = now()
    WHERE f.version < EXCLUDED.version`;

function parse(content: Buffer): BalanceEvent {
  const event = JSON.parse(content.toString('utf8')) as { id?: unknown; data?: Record<string, unknown> };
  const data = event.data ?? {};
  const valid =
    typeof event.id === 'string' &&
    typeof data.accountId === 'string' &&
    UUID.test(data.accountId) &&
    typeof data.balance === 'string' &&
    /^(0|[1-9][0-9]{0,18})$/.test(data.balance) &&
    typeof data.currency === 'string' &&
    /^[A-Z]{3}$/.test(data.currency) &&
    Number.isInteger(data.version) &&
    (data.version as number) > 0;
  if (!valid) throw new Error('account.balance_updated does not match the contract');
  return {
    id: event.id as string,
    account_id: data.accountId as string,
    balance: data.balance as string,
    currency: data.currency as string,
    version: data.version as number,
  };
}

consumeInBatches<BalanceEvent>({
  rabbitmqUrl,
  queue: QUEUE,
  // The platform's prefetch and batch for this queue.
  prefetch: 200,
  maxBatch: 200,
  parse: (message) => parse(message.content),
  apply: async (events) => {
    await pool.query({ name: 'apply-batch', text: APPLY_BATCH, values: [JSON.stringify(events)] });
  },
}).then(
  (close) =>
    onTerminate(async () => {
      await close();
      await pool.end();
    }),
  (error: Error) => {
    process.stderr.write(`ad-engine: ${error.stack}\n`);
    process.exit(1);
  },
);
