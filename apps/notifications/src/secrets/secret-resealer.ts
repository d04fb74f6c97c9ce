import { reportTaskFailure } from '@app/observability';
import { PeriodicTask } from '@app/background';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { EndpointsRepository } from '../endpoints/endpoints.repository';
import { UnreadableSecretError } from './secret-box';
import { WebhookSecrets } from './webhook-secrets';

/** Often enough that a secret another instance sealed with an older key does not stay so long. */
const RESEAL_EVERY_MS = 60_000;
const BATCH = 100;

/**
 * Seals with WEBHOOK_SECRETS_KEY every stored secret that is not sealed with it yet: those sealed
 * with WEBHOOK_SECRETS_KEY_PREVIOUS (a key rotation), and those stored in the clear before
 * encryption existed. A migration cannot do it (it has no key), and doing it before ready would
 * hold up the boot for a table scan; readers accept both until then. It runs at start and every
 * minute after, since an instance still on the old key may seal new secrets with it during a
 * rolling restart. Each row is replaced only if unchanged since read, so a rotation racing with it
 * wins, and replicas may run it side by side.
 */
@Injectable()
export class SecretResealer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SecretResealer.name);
  private readonly task = new PeriodicTask(
    SecretResealer.name,
    RESEAL_EVERY_MS,
    () => this.resealAll(),
    reportTaskFailure,
  );

  constructor(
    private readonly endpoints: EndpointsRepository,
    private readonly secrets: WebhookSecrets,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  /** Answers how many endpoints' secrets it re-sealed. */
  async resealAll(): Promise<number> {
    let resealed = 0;
    const unreadable: string[] = [];
    for (;;) {
      const rows = await this.endpoints.secretsNotSealedWith(this.secrets.currentPrefix(), unreadable, BATCH);
      if (rows.length === 0) break;
      for (const row of rows) {
        try {
          const sealed = {
            secret: this.secrets.resealed(row.secret),
            previous_secret: row.previous_secret === null ? null : this.secrets.resealed(row.previous_secret),
          };
          if (await this.endpoints.replaceSecrets(row.id, row, sealed)) resealed++;
        } catch (error) {
          if (!(error instanceof UnreadableSecretError)) throw error;
          this.logger.error(`cannot re-seal the secret of webhook endpoint ${row.id}: ${error.message}`);
          unreadable.push(row.id);
        }
      }
    }
    if (resealed > 0) this.logger.log(`sealed ${resealed} webhook secrets with key ${this.secrets.keyId}`);
    return resealed;
  }
}
