import type { MigrationInterface, QueryRunner } from 'typeorm';

/** How far the engine has read the transactions service's event archive (GET /events). */
export class CreateCatchUpCursor1795634623264 implements MigrationInterface {
  name = 'CreateCatchUpCursor1795634623264';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE ad_engine.catch_up_cursor (
      source varchar(100) PRIMARY KEY,
      sequence bigint NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE ad_engine.catch_up_cursor');
  }
}
