import { CursorCodec } from './cursor-codec';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import type { DataSource, QueryRunner } from 'typeorm';

export const PAGE_CURSORS_SCHEMA = Symbol('PAGE_CURSORS_SCHEMA');

/**
 * The key that signs this app's page cursors lives in the app's own schema: one random key,
 * written once by a migration. Every instance of the app reads the same row, it survives
 * restarts, and it needs no new configuration (a configured secret would be one more required
 * variable to keep equal across replicas, and the apps share none today). Whoever can read the
 * schema can forge cursors, but they can read the rows too; the key guards the API, not the data.
 */
export async function createCursorKeyTable(runner: QueryRunner, schema: string): Promise<void> {
  await runner.query(`CREATE TABLE "${schema}".cursor_key (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    key bytea NOT NULL CHECK (octet_length(key) = 32)
  )`);
  await runner.query(`INSERT INTO "${schema}".cursor_key (key) VALUES ($1)`, [randomBytes(32)]);
}

export async function dropCursorKeyTable(runner: QueryRunner, schema: string): Promise<void> {
  await runner.query(`DROP TABLE "${schema}".cursor_key`);
}

/**
 * This app's {@link CursorCodec}. The key is read on first use, not at boot: an app started with
 * DB_MIGRATIONS_RUN=false must come up (and report its pending migrations) before the table exists.
 */
@Injectable()
export class PageCursors {
  private codec?: Promise<CursorCodec>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(PAGE_CURSORS_SCHEMA) private readonly schema: string,
  ) {}

  get(): Promise<CursorCodec> {
    this.codec ??= this.load().catch((error: unknown) => {
      this.codec = undefined;
      throw error;
    });
    return this.codec;
  }

  private async load(): Promise<CursorCodec> {
    const [row] = await this.dataSource.query<{ key: Buffer }[]>(`SELECT key FROM "${this.schema}".cursor_key`);
    if (!row) throw new Error(`"${this.schema}".cursor_key holds no key`);
    return new CursorCodec(row.key);
  }
}
