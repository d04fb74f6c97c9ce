import type { MigrationInterface, QueryRunner } from 'typeorm';

/** What the engine has learned of each account's funds, and the campaigns that depend on them. */
export class CreateFundsAndCampaigns1795631766575 implements MigrationInterface {
  name = 'CreateFundsAndCampaigns1795631766575';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE ad_engine.funds (
      account_id uuid PRIMARY KEY,
      balance bigint NOT NULL,
      currency char(3) NOT NULL,
      version integer NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await runner.query(`CREATE TABLE ad_engine.campaigns (
      id uuid PRIMARY KEY,
      account_id uuid NOT NULL,
      name varchar(200) NOT NULL,
      min_balance bigint NOT NULL CONSTRAINT campaigns_min_balance_positive CHECK (min_balance > 0),
      status varchar(10) NOT NULL CONSTRAINT campaigns_status_known CHECK (status IN ('active', 'paused')),
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    )`);
    await runner.query(`CREATE INDEX campaigns_account_idx ON ad_engine.campaigns (account_id)`);
    await runner.query(`CREATE INDEX campaigns_created_idx ON ad_engine.campaigns (created_at, id)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE ad_engine.campaigns');
    await runner.query('DROP TABLE ad_engine.funds');
  }
}
