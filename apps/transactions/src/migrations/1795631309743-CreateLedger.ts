import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Accounts, their transactions, and stored idempotent responses. Money is bigint minor units;
 * a balance can never go negative, even if a bug tried (CHECK), and its version counts changes.
 */
export class CreateLedger1795631309743 implements MigrationInterface {
  name = 'CreateLedger1795631309743';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE transactions.accounts (
      id uuid PRIMARY KEY,
      name varchar(200) NOT NULL,
      currency char(3) NOT NULL,
      balance bigint NOT NULL DEFAULT 0 CONSTRAINT accounts_balance_not_negative CHECK (balance >= 0),
      balance_version integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await runner.query(`CREATE INDEX accounts_created_idx ON transactions.accounts (created_at, id)`);
    await runner.query(`CREATE TABLE transactions.transactions (
      id uuid PRIMARY KEY,
      account_id uuid NOT NULL REFERENCES transactions.accounts (id),
      type varchar(16) NOT NULL CONSTRAINT transactions_type_known CHECK (type IN ('deposit', 'withdrawal', 'charge', 'refund')),
      amount bigint NOT NULL CONSTRAINT transactions_amount_positive CHECK (amount > 0),
      currency char(3) NOT NULL,
      status varchar(16) NOT NULL CONSTRAINT transactions_status_known CHECK (status IN ('pending', 'completed', 'failed', 'reversed')),
      description varchar(500),
      metadata jsonb NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await runner.query(`CREATE INDEX transactions_created_idx ON transactions.transactions (created_at, id)`);
    await runner.query(
      `CREATE INDEX transactions_account_created_idx ON transactions.transactions (account_id, created_at, id)`,
    );
    await runner.query(`CREATE TABLE transactions.idempotency_keys (
      scope varchar(64) NOT NULL,
      key varchar(255) NOT NULL,
      request_hash char(64) NOT NULL,
      status_code integer NOT NULL,
      -- json, not jsonb: a replay must return the stored body byte for byte, keys in their order.
      response_body json NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (scope, key)
    )`);
    await runner.query(`CREATE INDEX idempotency_keys_created_idx ON transactions.idempotency_keys (created_at)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE transactions.idempotency_keys');
    await runner.query('DROP TABLE transactions.transactions');
    await runner.query('DROP TABLE transactions.accounts');
  }
}
