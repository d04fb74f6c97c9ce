import { InjectConfig } from '@app/config';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { NotificationsConfig } from '../config';
import { EndpointsRepository } from '../endpoints/endpoints.repository';
import { EventArchiveRepository } from '../fan-out/event-archive.repository';
import { DeliveriesRepository } from './deliveries.repository';

const EVERY_MS = 60_000;

/**
 * Once a minute: finished deliveries past DELIVERY_LOG_RETENTION, rotated-out secrets past their
 * 24 hours, and archived events past EVENT_RETENTION go. Every instance may run it; the deletes
 * are idempotent.
 */
@Injectable()
export class DeliveryHousekeeping implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeliveryHousekeeping.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    @InjectConfig() private readonly config: NotificationsConfig,
    private readonly deliveries: DeliveriesRepository,
    private readonly endpoints: EndpointsRepository,
    private readonly archive: EventArchiveRepository,
  ) {}

  onApplicationBootstrap(): void {
    if (this.timer) return; // called twice in a hybrid app: one timer is enough
    this.running = this.run();
    this.timer = setInterval(() => {
      this.running ??= this.run();
    }, EVERY_MS).unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private async run(): Promise<void> {
    try {
      await this.deliveries.prune(this.config.DELIVERY_LOG_RETENTION);
      await this.endpoints.expirePreviousSecrets();
      if (this.config.EVENT_RETENTION !== undefined) await this.archive.prune(this.config.EVENT_RETENTION);
    } catch (error) {
      this.logger.warn(`housekeeping: ${(error as Error).message}`);
    } finally {
      this.running = undefined;
    }
  }
}
