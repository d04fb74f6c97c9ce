import type { AccountBalanceUpdatedData } from '@app/contracts';
import { Inbox } from '@app/messaging';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { CampaignRow } from '../campaigns/campaign.view';

export interface FundsRow {
  account_id: string;
  balance: string;
  currency: string;
  version: number;
  updated_at: Date;
}

/** An account whose newer balance a batch applied, with its campaigns, locked for the decision. */
export interface AppliedBalance {
  accountId: string;
  balance: string;
  version: number;
  campaigns: Pick<CampaignRow, 'id' | 'account_id' | 'name' | 'min_balance' | 'status'>[];
}

const COLUMNS = 'account_id, balance::text AS balance, currency, version, updated_at';

/** The advisory-lock namespace (first key) of per-account campaign decisions. */
const ACCOUNT_LOCK_NAMESPACE = 0x41444631;

@Injectable()
export class FundsRepository {
  private readonly applyBatchStatement: string;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly inbox: Inbox,
  ) {
    this.applyBatchStatement = applyBatch(inbox.freshEventsCte('$1', '$2'));
  }

  /**
   * Serialises every campaign decision for one account until the transaction ends: a balance
   * event, and a campaign created or edited through the API. A row lock cannot do it, since the
   * funds row may not exist yet when both start (a new account's first deposit).
   */
  async lockAccounts(manager: EntityManager, accountIds: string[]): Promise<void> {
    // In the order of the lock keys themselves: two batches can then never wait on each other in
    // a cycle, even when two accounts' keys collide.
    await manager.query(
      `SELECT pg_advisory_xact_lock($1, key)
       FROM (SELECT DISTINCT hashtext(id) AS key FROM unnest($2::text[]) AS id ORDER BY key) keys`,
      [ACCOUNT_LOCK_NAMESPACE, accountIds],
    );
  }

  async find(accountId: string, manager?: EntityManager): Promise<FundsRow | undefined> {
    const [row] = await (manager ?? this.dataSource).query<FundsRow[]>(
      `SELECT ${COLUMNS} FROM ad_engine.funds WHERE account_id = $1`,
      [accountId],
    );
    return row;
  }

  /**
   * A batch of balance events in one statement: their ids into `consumer`'s inbox, and for the
   * events not applied before, each account's newest version upserted unless a newer one is
   * known. Answers the accounts it changed, each with its campaigns locked (FOR UPDATE) for the
   * caller to re-evaluate in the same transaction, and how many events were fresh. The caller
   * holds the accounts' locks already (lockAccounts, an earlier statement: this one's snapshot
   * then sees every campaign created before the locks were granted).
   */
  async applyBatch(
    manager: EntityManager,
    consumer: string,
    events: { id: string; data: AccountBalanceUpdatedData }[],
  ): Promise<{ fresh: number; applied: AppliedBalance[] }> {
    const [row] = await manager.query<{ fresh: number; applied: AppliedBalance[] }[]>(this.applyBatchStatement, [
      consumer,
      events.map((event) => event.id),
      events.map((event) => event.data.accountId),
      events.map((event) => event.data.balance),
      events.map((event) => event.data.currency),
      events.map((event) => event.data.version),
    ]);
    return row;
  }
}

const applyBatch = (freshEvents: string): string => `WITH incoming AS (
    SELECT * FROM unnest($2::text[], $3::uuid[], $4::bigint[], $5::text[], $6::int[])
      AS e(id, account_id, balance, currency, version)
  ), ${freshEvents}, newest AS (
    SELECT DISTINCT ON (i.account_id) i.* FROM incoming i JOIN fresh_events f ON f.event_id = i.id
    ORDER BY i.account_id, i.version DESC
  ), applied AS (
    INSERT INTO ad_engine.funds AS f (account_id, balance, currency, version, updated_at)
    SELECT account_id, balance, currency, version, now() FROM newest
    ON CONFLICT (account_id) DO UPDATE
      SET balance = EXCLUDED.balance, currency = EXCLUDED.currency, version = EXCLUDED.version, updated_at = now()
      WHERE f.version < EXCLUDED.version
    RETURNING f.account_id, f.balance, f.version
  ), locked AS (
    SELECT id, account_id, name, min_balance::text AS min_balance, status FROM ad_engine.campaigns
    WHERE account_id IN (SELECT account_id FROM applied) ORDER BY id FOR UPDATE
  )
  SELECT (SELECT count(*) FROM fresh_events)::int AS fresh,
    COALESCE((
      SELECT json_agg(json_build_object(
        'accountId', a.account_id, 'balance', a.balance::text, 'version', a.version,
        'campaigns', COALESCE((SELECT json_agg(to_json(l) ORDER BY l.id) FROM locked l WHERE l.account_id = a.account_id), '[]')
      ) ORDER BY a.account_id) FROM applied a
    ), '[]') AS applied`;
