import { PLATFORM_CONFIG, PlatformConfig } from '@app/config';
import { ApiKeyGuard, createValidationPipe, FailedAuthLimiter, ProblemDetailsFilter, RateLimitGuard } from '@app/http';
import { MessagingModule, MessagingModuleOptions } from '@app/messaging';
import { LoggingModule, MetricsModule, reportProblem } from '@app/observability';
import { PersistenceModule, PersistenceModuleOptions } from '@app/persistence';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerModule } from '@nestjs/throttler';
import { AsyncApiController } from './asyncapi.controller';
import { HealthController } from './health.controller';
import { MetricsController } from './metrics.controller';
import { MigrationsHealthIndicator } from './migrations.health';

export interface PlatformModuleOptions {
  appName: string;
  config: PlatformConfig;
  persistence: Omit<PersistenceModuleOptions, 'appName'>;
  messaging: Omit<MessagingModuleOptions, 'appName' | 'schema'>;
}

@Global()
@Module({})
class ConfigHolderModule {
  static forRoot(config: PlatformConfig): DynamicModule {
    return {
      module: ConfigHolderModule,
      providers: [{ provide: PLATFORM_CONFIG, useValue: config }],
      exports: [PLATFORM_CONFIG],
    };
  }
}

/**
 * Everything an app of this platform has before its first feature: validated config, JSON logs,
 * metrics, its PostgreSQL schema and migrations, its RabbitMQ connection and exchange, health
 * checks, API-key auth, problem+json errors and strict validation.
 */
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformModuleOptions): DynamicModule {
    return {
      module: PlatformModule,
      imports: [
        ConfigHolderModule.forRoot(options.config),
        LoggingModule.forRoot(options.appName),
        MetricsModule.forRoot(options.appName),
        PersistenceModule.forRoot({ appName: options.appName, ...options.persistence }),
        MessagingModule.forRoot({
          appName: options.appName,
          schema: options.persistence.schema,
          ...options.messaging,
        }),
        TerminusModule.forRoot({ logger: false }),
        ThrottlerModule.forRoot({
          throttlers: [{ name: 'default', ttl: 60_000, limit: Math.max(1, options.config.RATE_LIMIT_PER_MINUTE) }],
          skipIf: () => options.config.RATE_LIMIT_PER_MINUTE === 0,
        }),
      ],
      controllers: [HealthController, MetricsController, AsyncApiController],
      providers: [
        MigrationsHealthIndicator,
        FailedAuthLimiter,
        // In this order: the key guard names the caller that the rate limit counts against.
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_GUARD, useClass: RateLimitGuard },
        {
          provide: APP_FILTER,
          useFactory: () =>
            new ProblemDetailsFilter((error, request) =>
              reportProblem({
                kind: 'http-5xx',
                error,
                message: `unhandled error on ${request.method} ${request.path}`,
                tags: { method: request.method },
              }),
            ),
        },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
    };
  }
}
