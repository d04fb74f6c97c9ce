import { InjectConfig } from '@app/config';
import { Injectable, Logger } from '@nestjs/common';
import type { NotificationsConfig } from '../config';
import { decodeSecretsKey, SecretBox } from './secret-box';

/**
 * The key a bare local run seals with: in the code, so it protects nothing, hence the warning
 * (and production refuses to start without WEBHOOK_SECRETS_KEY, see config.ts).
 */
const DEVELOPMENT_KEY = 'ZGV2ZWxvcG1lbnQtb25seS13ZWJob29rLXNlY3JldHM=';

/** Webhook signing secrets as this app stores them: sealed with WEBHOOK_SECRETS_KEY. */
@Injectable()
export class WebhookSecrets extends SecretBox {
  constructor(@InjectConfig() config: NotificationsConfig) {
    if (config.WEBHOOK_SECRETS_KEY === undefined) {
      new Logger(WebhookSecrets.name).warn(
        'WEBHOOK_SECRETS_KEY is not set: webhook secrets are encrypted with a built-in development key',
      );
    }
    const previous = config.WEBHOOK_SECRETS_KEY_PREVIOUS;
    super(
      decodeSecretsKey(config.WEBHOOK_SECRETS_KEY ?? DEVELOPMENT_KEY) as Buffer,
      previous === undefined ? undefined : decodeSecretsKey(previous),
    );
  }

  /** The delivery with its endpoint's secrets opened, ready to sign (never stored so). */
  opened<T extends { secret: string; previous_secret: string | null }>(delivery: T): T {
    return {
      ...delivery,
      secret: this.open(delivery.secret),
      previous_secret: delivery.previous_secret === null ? null : this.open(delivery.previous_secret),
    };
  }
}
