import { backboneTablesUp } from '@app/messaging';
import { createTestEnvironment, TestEnvironment } from '@app/testing';
import { Client } from 'pg';
import { OUTBOX_CLAIM_STATEMENT, OutboxClaim } from '../src/outbox/outbox-claim';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

const flatten = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(flatten)];

/** How each node of the plan reads the outbox: `Seq Scan`, `Index Scan outbox_pkey`, ... */
const outboxReads = (nodes: PlanNode[]): string[] =>
  nodes
    .filter((node) => node['Relation Name'] === 'outbox' || node['Index Name']?.startsWith('outbox'))
    .filter((node) => node['Node Type'] !== 'ModifyTable')
    .map((node) => [node['Node Type'], node['Index Name']].filter(Boolean).join(' '))
    .sort();

/**
 * The relay's claim is a prepared statement on a session that lives as long as the leadership,
 * often from a fresh deploy on (an empty outbox) and, where autovacuum is off or has not come
 * round yet, with no ANALYZE since. These tests plan it the way such a session does: five
 * claims on a nearly empty outbox (after which PostgreSQL keeps a generic plan), then a grown
 * outbox, and read the plan it would run.
 */
describe('outbox claim plan', () => {
  let environment: TestEnvironment;
  let schemas = 0;

  beforeAll(async () => {
    environment = await createTestEnvironment();
  });

  afterAll(async () => {
    await environment?.teardown();
  });

  async function planAfterGrowth(prepareSession: boolean): Promise<string[]> {
    const schema = `claim_${++schemas}`;
    const client = new Client({ connectionString: environment.databaseUrl });
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA ${schema}`);
      for (const statement of backboneTablesUp(schema)) await client.query(statement);
      const insert = (count: number, published: boolean) =>
        client.query(
          `INSERT INTO ${schema}.outbox (id, type, subject, occurred_at, envelope, published_at)
           SELECT gen_random_uuid(), 'probe.changed', 's' || n, now(), '{}'::jsonb, CASE WHEN $2 THEN now() END
           FROM generate_series(1, $1::int) AS n`,
          [count, published],
        );
      const claim = new OutboxClaim(schema);
      if (prepareSession) await claim.prepareSession(client);
      let confirmed: string[] = [];
      for (let index = 0; index < 6; index++) {
        await insert(1, false);
        confirmed = (await claim.next(client, 500, confirmed)).map((row) => row.position);
      }
      await insert(20_000, true);
      await insert(50, false);
      const { rows } = await client.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(
        `EXPLAIN (FORMAT JSON) EXECUTE "${OUTBOX_CLAIM_STATEMENT}"(500, '{1,2,3}')`,
      );
      return outboxReads(flatten(rows[0]['QUERY PLAN'][0].Plan));
    } finally {
      await client.end();
    }
  }

  it('marks through the primary key and reads the pending index in order, however the outbox grew', async () => {
    expect(await planAfterGrowth(true)).toEqual([
      'Index Scan outbox_pending_idx',
      'Index Scan outbox_pkey',
      'Index Scan outbox_pkey',
    ]);
  });

  // Why the session needs settling: without it the same history leaves a plan that reads the
  // whole table for every claim. If PostgreSQL ever plans this well by itself, this fails, and
  // OutboxClaim.prepareSession may go.
  it('left to estimates, keeps the plan made on the empty outbox: a sequential scan', async () => {
    expect(await planAfterGrowth(false)).toContain('Seq Scan');
  });
});
