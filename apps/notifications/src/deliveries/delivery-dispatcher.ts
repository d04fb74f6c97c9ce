import { InjectConfig } from '@app/config';
import { Injectable, Logger, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { NotificationsConfig } from '../config';
import { EndpointDisabler } from '../endpoints/endpoint-disabler';
import { EndpointsRepository } from '../endpoints/endpoints.repository';
import { ClaimedDelivery, DeliveriesRepository } from './deliveries.repository';
import { DeliveryMetrics } from './delivery.metrics';
import { nextAttempt } from './retry-schedule';
import { WebhookSender } from './webhook-sender';
import { signatureHeader } from './webhook-signer';

const POLL_MS = 250;
const GLOBAL_CONCURRENCY = 128;
export const PER_ENDPOINT_CONCURRENCY = 16;
const FAILING_STREAK_LIMIT_MS = 5 * 24 * 3_600_000;
const HOUSEKEEPING_EVERY_MS = 60_000;

/**
 * Attempts due deliveries. Claims them in the database (safe with several instances), runs
 * attempts concurrently with a global cap and a per-endpoint cap, so a slow or dead endpoint
 * holds at most its own few slots and never delays deliveries to the others. Each attempt's
 * outcome and the next schedule are committed together; a crash mid-attempt leaves the claim to
 * expire and the delivery is attempted again (same webhook-id).
 */
@Injectable()
export class DeliveryDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(DeliveryDispatcher.name);
  private readonly sender: WebhookSender;
  private readonly inFlightByEndpoint = new Map<string, number>();
  private readonly inFlight = new Set<Promise<void>>();
  private running = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  private lastHousekeeping = 0;
  /** When the loop last went round: readiness reports a stalled dispatcher. */
  lastTickAt = Date.now();

  constructor(
    @InjectConfig() private readonly config: NotificationsConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly deliveries: DeliveriesRepository,
    private readonly endpoints: EndpointsRepository,
    private readonly disabler: EndpointDisabler,
    private readonly metrics: DeliveryMetrics,
  ) {
    this.sender = new WebhookSender({
      timeoutMs: config.WEBHOOK_TIMEOUT_MS,
      allowPrivateTargets: config.WEBHOOK_ALLOW_PRIVATE_TARGETS,
    });
  }

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake();
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
    await this.sender.close();
  }

  /** Look for due deliveries now (new deliveries were just committed). */
  wake(): void {
    this.wakeUp?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.lastTickAt = Date.now();
      let claimed = 0;
      try {
        claimed = await this.claimAndStart();
        await this.housekeeping();
      } catch (error) {
        this.logger.warn(`delivery dispatcher: ${(error as Error).message}`);
      }
      if (claimed === 0 && this.running) await this.sleep(POLL_MS);
    }
  }

  private async claimAndStart(): Promise<number> {
    const capacity = GLOBAL_CONCURRENCY - this.inFlight.size;
    if (capacity <= 0) return 0;
    const busy = [...this.inFlightByEndpoint]
      .filter(([, count]) => count >= PER_ENDPOINT_CONCURRENCY)
      .map(([id]) => id);
    const claimMs = this.config.WEBHOOK_TIMEOUT_MS + 30_000;
    const claimed = await this.deliveries.claimDue(capacity, PER_ENDPOINT_CONCURRENCY, claimMs, busy);
    for (const delivery of claimed) {
      this.inFlightByEndpoint.set(delivery.endpoint_id, (this.inFlightByEndpoint.get(delivery.endpoint_id) ?? 0) + 1);
      const attempt = this.attempt(delivery).finally(() => {
        this.inFlight.delete(attempt);
        const left = (this.inFlightByEndpoint.get(delivery.endpoint_id) ?? 1) - 1;
        if (left > 0) this.inFlightByEndpoint.set(delivery.endpoint_id, left);
        else this.inFlightByEndpoint.delete(delivery.endpoint_id);
        // Claim again once half the endpoint's slots are free: a claim per finished attempt
        // would cost a query per delivery.
        if (left <= PER_ENDPOINT_CONCURRENCY / 2) this.wake();
      });
      this.inFlight.add(attempt);
    }
    return claimed.length;
  }

  private async attempt(delivery: ClaimedDelivery): Promise<void> {
    const body = JSON.stringify(delivery.envelope);
    const attemptedAt = new Date();
    const secrets = [delivery.secret];
    if (delivery.previous_secret && (delivery.previous_secret_expires_at?.getTime() ?? 0) > attemptedAt.getTime()) {
      secrets.push(delivery.previous_secret);
    }
    const result = await this.sender.send(
      delivery.url,
      {
        'content-type': 'application/json',
        'user-agent': 'transaction-events-platform-webhooks/0.1',
        'webhook-id': delivery.event_id,
        'webhook-timestamp': String(Math.floor(attemptedAt.getTime() / 1000)),
        'webhook-signature': signatureHeader(secrets, delivery.event_id, attemptedAt, body),
      },
      body,
    );
    const succeeded = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
    this.metrics.attempts.inc({ outcome: succeeded ? 'succeeded' : 'failed' });
    this.metrics.duration.observe(result.durationMs / 1000);
    try {
      await this.dataSource.transaction(async (manager) => {
        const outcome = { attemptedAt, ...result };
        if (succeeded) {
          await this.deliveries.recordAttempt(manager, delivery.id, outcome, {
            status: 'succeeded',
            nextAttemptAt: null,
          });
          await this.endpoints.update(manager, delivery.endpoint_id, { failing_since: null });
          return;
        }
        if (result.statusCode === 410) {
          await this.deliveries.recordAttempt(manager, delivery.id, outcome, { status: 'dead', nextAttemptAt: null });
          await this.disabler.disable(manager, delivery.endpoint_id, 'gone');
          return;
        }
        const next = nextAttempt(
          this.config.WEBHOOK_RETRY_SCHEDULE,
          delivery.attempts + 1,
          { status: result.statusCode ?? undefined, retryAfter: result.retryAfter },
          attemptedAt.getTime(),
        );
        await this.deliveries.recordAttempt(manager, delivery.id, outcome, {
          status: next.dead ? 'dead' : 'failed',
          nextAttemptAt: next.dead ? null : new Date(attemptedAt.getTime() + next.delayMs),
        });
        if (next.dead) this.metrics.dead.inc();
        await this.trackFailingStreak(manager, delivery.endpoint_id, attemptedAt);
      });
    } catch (error) {
      // The claim expires and the delivery is attempted again: a duplicate, never a loss.
      this.logger.error(`could not record attempt of delivery ${delivery.id}: ${(error as Error).message}`);
    }
  }

  private async trackFailingStreak(manager: EntityManager, endpointId: string, at: Date): Promise<void> {
    const endpoint = await this.endpoints.find(endpointId, manager);
    if (!endpoint) return;
    if (!endpoint.failing_since) {
      await this.endpoints.update(manager, endpointId, { failing_since: at });
    } else if (at.getTime() - endpoint.failing_since.getTime() >= FAILING_STREAK_LIMIT_MS) {
      await this.disabler.disable(manager, endpointId, 'failing');
    }
  }

  private async housekeeping(): Promise<void> {
    if (Date.now() - this.lastHousekeeping < HOUSEKEEPING_EVERY_MS) return;
    this.lastHousekeeping = Date.now();
    await this.deliveries.prune(this.config.DELIVERY_LOG_RETENTION);
    await this.endpoints.expirePreviousSecrets();
    if (this.config.EVENT_RETENTION !== undefined) {
      await this.dataSource.query(
        `DELETE FROM notifications.event_archive WHERE occurred_at < now() - make_interval(secs => $1)`,
        [this.config.EVENT_RETENTION / 1000],
      );
    }
  }

  private async sleep(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wakeUp = undefined;
  }
}
