import { InjectConfig } from '@app/config';
import { PeriodicTask } from '@app/background';
import { reportTaskFailure } from '@app/observability';
import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { NotificationsConfig } from '../config';
import { EndpointsRepository } from '../endpoints/endpoints.repository';
import { EventArchiveRepository } from '../archive/event-archive.repository';
import { DeliveriesRepository } from './deliveries.repository';

/**
 * Once a minute: finished deliveries past DELIVERY_LOG_RETENTION, rotated-out secrets past their
 * 24 hours, and archived events past EVENT_RETENTION go. Every instance may run it; the deletes
 * are idempotent.
 */
@Injectable()
export class DeliveryHousekeeping implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly task: PeriodicTask;

  constructor(
    @InjectConfig() config: NotificationsConfig,
    deliveries: DeliveriesRepository,
    endpoints: EndpointsRepository,
    archive: EventArchiveRepository,
  ) {
    this.task = new PeriodicTask(
      DeliveryHousekeeping.name,
      60_000,
      async () => {
        await deliveries.prune(config.DELIVERY_LOG_RETENTION);
        await endpoints.expirePreviousSecrets();
        if (config.EVENT_RETENTION !== undefined) await archive.prune(config.EVENT_RETENTION);
      },
      reportTaskFailure,
    );
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }
}
