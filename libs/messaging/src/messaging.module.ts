import { PLATFORM_CONFIG, PlatformConfig } from '@app/config';
import { MetricsRegistry } from '@app/observability';
import {
  BeforeApplicationShutdown,
  DynamicModule,
  Injectable,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { EventRecords } from './event-record/event-records';
import { EventPublisher } from './event-publisher';
import { Inbox } from './inbox/inbox';
import { MessagingMetrics } from './messaging.metrics';
import { MESSAGING_OPTIONS, MessagingModuleOptions } from './messaging.options';
import { EventArchive } from './outbox/event-archive';
import { BackbonePruner } from './outbox/backbone-pruner';
import { OutboxCommitSubscriber } from './outbox/outbox-commit.subscriber';
import { OutboxRelay } from './outbox/outbox.relay';
import { OutboxWriter } from './outbox/outbox.writer';
import { RabbitMqConnection } from './rabbitmq.connection';
import { RabbitMqHealthIndicator } from './rabbitmq.health';

@Injectable()
class MessagingLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    private readonly relay: OutboxRelay,
    private readonly pruner: BackbonePruner,
    private readonly publisher: EventPublisher,
    private readonly connection: RabbitMqConnection,
  ) {}

  onApplicationBootstrap(): void {
    this.relay.start();
    this.pruner.start();
  }

  // Before Nest closes the HTTP server and the transport: the relay finishes its batch first.
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([this.relay.stop(), this.pruner.stop()]);
  }

  // After the HTTP server and the consuming transport are closed.
  async onApplicationShutdown(): Promise<void> {
    await this.publisher.close().catch(() => undefined);
    await this.connection.close();
  }
}

async function outboxStats(dataSource: DataSource, schema: string) {
  const [row] = await dataSource.query<{ pending: string; age: number | null }[]>(
    `SELECT count(*) AS pending, extract(epoch FROM now() - min(created_at))::float8 AS age
     FROM "${schema}".outbox WHERE published_at IS NULL`,
  );
  return { pending: Number(row.pending), oldestAgeSeconds: Math.max(0, row.age ?? 0) };
}

/**
 * The app's event backbone: its RabbitMQ connection and confirmed publisher (own exchange
 * declared before the app reports ready), the transactional outbox and its relay, the consumer
 * inbox, metrics, and the broker health indicator.
 */
@Module({})
export class MessagingModule {
  static forRoot(options: MessagingModuleOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      imports: [TerminusModule],
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: options },
        {
          provide: RabbitMqConnection,
          inject: [PLATFORM_CONFIG],
          useFactory: (config: PlatformConfig) =>
            RabbitMqConnection.open({
              url: config.RABBITMQ_URL,
              connectionName: options.appName,
              startupTimeoutMs: config.STARTUP_TIMEOUT_MS,
            }),
        },
        {
          provide: EventPublisher,
          inject: [RabbitMqConnection],
          useFactory: async (connection: RabbitMqConnection) => {
            const publisher = new EventPublisher(connection, options.appName, options.exchange);
            await publisher.waitUntilReady();
            return publisher;
          },
        },
        {
          provide: MessagingMetrics,
          inject: [MetricsRegistry, getDataSourceToken()],
          useFactory: (metrics: MetricsRegistry, dataSource: DataSource) =>
            new MessagingMetrics(metrics.registry, () => outboxStats(dataSource, options.schema), options.exchange),
        },
        {
          provide: OutboxRelay,
          inject: [PLATFORM_CONFIG, EventPublisher, MessagingMetrics],
          useFactory: (config: PlatformConfig, publisher: EventPublisher, metrics: MessagingMetrics) =>
            new OutboxRelay(
              {
                appName: options.appName,
                databaseUrl: config.DATABASE_URL,
                schema: options.schema,
                batchSize: config.OUTBOX_BATCH_SIZE,
                pollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
              },
              publisher,
              metrics,
            ),
        },
        OutboxWriter,
        {
          provide: BackbonePruner,
          inject: [PLATFORM_CONFIG, getDataSourceToken()],
          useFactory: (config: PlatformConfig, dataSource: DataSource) =>
            new BackbonePruner(dataSource, {
              schema: options.schema,
              retentionMs: config.EVENT_RETENTION,
              inboxRetentionMs: config.INBOX_RETENTION,
            }),
        },
        {
          provide: OutboxCommitSubscriber,
          inject: [getDataSourceToken(), OutboxRelay],
          useFactory: (dataSource: DataSource, relay: OutboxRelay) => {
            const subscriber = new OutboxCommitSubscriber(relay);
            dataSource.subscribers.push(subscriber);
            return subscriber;
          },
        },
        Inbox,
        EventArchive,
        EventRecords,
        RabbitMqHealthIndicator,
        MessagingLifecycle,
      ],
      exports: [
        MESSAGING_OPTIONS,
        RabbitMqConnection,
        EventPublisher,
        MessagingMetrics,
        OutboxWriter,
        Inbox,
        EventArchive,
        EventRecords,
        OutboxRelay,
        RabbitMqHealthIndicator,
      ],
    };
  }
}
