import { backboneTablesDown, backboneTablesUp } from '@app/messaging';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The outbox (with its archive of published events) and the consumer inbox. */
export class CreateEventBackbone1795629948892 implements MigrationInterface {
  name = 'CreateEventBackbone1795629948892';

  async up(runner: QueryRunner): Promise<void> {
    for (const statement of backboneTablesUp('ad_engine')) await runner.query(statement);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const statement of backboneTablesDown('ad_engine')) await runner.query(statement);
  }
}
