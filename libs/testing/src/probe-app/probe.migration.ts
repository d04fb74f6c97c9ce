import { backboneTablesDown, backboneTablesUp } from '@app/messaging';
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ProbeSchema1700000000000 implements MigrationInterface {
  name = 'ProbeSchema1700000000000';

  async up(runner: QueryRunner): Promise<void> {
    for (const statement of backboneTablesUp('probe')) await runner.query(statement);
    await runner.query(`CREATE TABLE probe.items (id uuid PRIMARY KEY, name text NOT NULL, aggregate text NOT NULL)`);
    await runner.query(
      `CREATE TABLE probe.effects (event_id text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE probe.effects`);
    await runner.query(`DROP TABLE probe.items`);
    for (const statement of backboneTablesDown('probe')) await runner.query(statement);
  }
}
