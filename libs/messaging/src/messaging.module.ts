import { PLATFORM_CONFIG, PlatformConfig } from '@app/config';
import { DynamicModule, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { EventPublisher } from './event-publisher';
import { RabbitMqConnection } from './rabbitmq.connection';
import { RabbitMqHealthIndicator } from './rabbitmq.health';

export interface MessagingModuleOptions {
  appName: string;
  /** The exchange this app publishes to and owns. */
  exchange: string;
}

@Injectable()
class MessagingShutdown implements OnApplicationShutdown {
  constructor(
    private readonly publisher: EventPublisher,
    private readonly connection: RabbitMqConnection,
  ) {}

  // Runs after Nest has closed the HTTP server and the consuming transport.
  async onApplicationShutdown(): Promise<void> {
    await this.publisher.close().catch(() => undefined);
    await this.connection.close();
  }
}

/**
 * The app's RabbitMQ connection, its confirmed publisher (own exchange declared before the app
 * reports ready) and the broker health indicator.
 */
@Module({})
export class MessagingModule {
  static forRoot(options: MessagingModuleOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      imports: [TerminusModule],
      providers: [
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
        RabbitMqHealthIndicator,
        MessagingShutdown,
      ],
      exports: [RabbitMqConnection, EventPublisher, RabbitMqHealthIndicator],
    };
  }
}
