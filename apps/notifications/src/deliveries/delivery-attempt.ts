import { InjectConfig } from '@app/config';
import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { NotificationsConfig } from '../config';
import { UnreadableSecretError } from '../secrets/secret-box';
import { WebhookSecrets } from '../secrets/webhook-secrets';
import type { ClaimedDelivery, ClaimedWebhookDelivery } from './deliveries.repository';
import { SubscriptionQueues } from './subscription-queues';
import { webhookHeaders } from './webhook-request';
import { SendResult, WebhookSender } from './webhook-sender';

/** What one attempt came to, and whether it counts as delivered. */
export interface AttemptResult extends SendResult {
  succeeded: boolean;
}

/**
 * One attempt of a delivery, to whichever target it has: a webhook gets an HTTP POST signed with
 * its endpoint's secrets (opened here, never stored open), a subscription a confirmed forward to
 * its queue. What happens next (retry, dead, the endpoint's health) is the dispatcher's to decide.
 */
@Injectable()
export class DeliveryAttempt implements OnApplicationShutdown {
  private readonly logger = new Logger(DeliveryAttempt.name);
  private readonly sender: WebhookSender;

  constructor(
    @InjectConfig() config: NotificationsConfig,
    private readonly secrets: WebhookSecrets,
    private readonly queues: SubscriptionQueues,
  ) {
    this.sender = new WebhookSender({
      timeoutMs: config.WEBHOOK_TIMEOUT_MS,
      allowPrivateTargets: config.WEBHOOK_ALLOW_PRIVATE_TARGETS,
    });
  }

  async run(delivery: ClaimedDelivery, attemptedAt: Date): Promise<AttemptResult> {
    if (delivery.queue !== null) {
      // A forward has no status code: confirmed by the broker, or an error.
      const forwarded = await this.queues.forward(delivery);
      return { ...forwarded, succeeded: forwarded.error === null };
    }
    const answered = await this.post(delivery, attemptedAt);
    const { statusCode } = answered;
    return { ...answered, succeeded: statusCode !== null && statusCode >= 200 && statusCode < 300 };
  }

  private async post(delivery: ClaimedWebhookDelivery, attemptedAt: Date): Promise<SendResult> {
    let signable: ClaimedWebhookDelivery;
    try {
      signable = this.secrets.opened(delivery);
    } catch (error) {
      if (!(error instanceof UnreadableSecretError)) throw error;
      // Never sent unsigned: a failed attempt that says why, retried on schedule (the right key
      // may be configured by then, or another instance that has it takes the retry).
      this.logger.error(`cannot sign delivery ${delivery.id}: the secret of its endpoint was ${error.message}`);
      const reason = `not sent: the endpoint's signing secret cannot be decrypted here (${error.message})`;
      return { statusCode: null, responseExcerpt: null, error: reason, durationMs: 0 };
    }
    return this.sender.send(delivery.url, webhookHeaders(signable, attemptedAt), delivery.body);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sender.close();
  }
}
