import { Logger } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import { openDedicatedSession, tryAdvisoryLock } from '@app/persistence';
import type { Client } from 'pg';

/** The advisory-lock namespace (first key) of dispatcher instances. */
export const INSTANCE_LOCK_NAMESPACE = 0x57484b31;
const CHECK_EVERY_MS = 5_000;

/**
 * This process's identity as a claimer of deliveries, made visible to the others: a PostgreSQL
 * session advisory lock (namespace, key) held on a connection of its own for as long as the
 * process lives. Claims carry the key; a claim whose key nobody holds any more belongs to a dead
 * process (`kill -9`, crash, lost host: the server ends the session and drops the lock) and is
 * taken over at once instead of after its lease runs out.
 */
export class InstanceLease {
  private readonly logger = new Logger(InstanceLease.name);
  private client?: Client;
  private key = 0;
  private checkedAt = 0;
  private refreshing?: Promise<number>;

  constructor(private readonly databaseUrl: string) {}

  /**
   * The key to claim with. Every few seconds the lease's session is checked; if it is gone, so is
   * the lock, and a new one is taken (with a new key).
   */
  async current(): Promise<number> {
    if (this.client && Date.now() - this.checkedAt < CHECK_EVERY_MS) return this.key;
    // One check at a time: the claim loop and a manual retry may ask together.
    this.refreshing ??= this.refresh().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async refresh(): Promise<number> {
    if (this.client) {
      try {
        await this.client.query('SELECT 1');
        this.checkedAt = Date.now();
        return this.key;
      } catch (error) {
        this.logger.warn(`instance lease connection lost (${(error as Error).message}); taking a new one`);
        const lost = this.client;
        this.client = undefined;
        await lost.end().catch(() => undefined);
      }
    }
    const client = await openDedicatedSession(
      { databaseUrl: this.databaseUrl, applicationName: 'notifications-dispatcher-instance', queryTimeoutMs: 5_000 },
      (error) => {
        this.logger.warn(`instance lease connection lost (${error.message}); taking a new one`);
        if (this.client === client) this.client = undefined;
      },
    );
    for (;;) {
      const key = randomInt(1, 2 ** 31 - 1);
      if (await tryAdvisoryLock(client, { namespace: INSTANCE_LOCK_NAMESPACE, id: key })) {
        this.client = client;
        this.key = key;
        this.checkedAt = Date.now();
        return key;
      }
    }
  }

  /** Ends the session: the lock goes with it. */
  async release(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}
