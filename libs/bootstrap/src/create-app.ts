import type { PlatformConfig } from '@app/config';
import { brokerEventValidator } from '@app/contracts';
import { guardJsonBody, JSON_BODY_LIMIT, jsonOnlyMiddleware, requestIdMiddleware } from '@app/http';
import { MessagingMetrics, RabbitMqConnection, RabbitMqTransport, RethrowRpcErrorsFilter } from '@app/messaging';
import { httpMetricsMiddleware, MetricsRegistry, traceContextMiddleware, useTraceContext } from '@app/observability';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import type { AppDefinition } from './app-definition';
import { setupSwagger } from './swagger';

/**
 * Builds one app as a hybrid Nest application (HTTP plus the RabbitMQ transport), initialised
 * but not yet listening: the database is migrated, the exchanges and queues are declared and
 * consumers are running when this resolves. Failures during boot are thrown, not logged: the
 * caller prints one line.
 */
export async function createApp<C extends PlatformConfig>(
  definition: AppDefinition<C>,
  config: C,
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(definition.rootModule(config), {
    bufferLogs: true,
    autoFlushLogs: false,
    abortOnError: false,
    bodyParser: false,
  });
  const logger = app.get(Logger);
  app.useLogger(logger);
  app.flushLogs();
  if (config.API_KEYS.length === 0) {
    logger.warn('API_KEYS is not set: the API is open to anyone who can reach it', 'Auth');
  }
  app.disable('x-powered-by');
  // X-Forwarded-For only from the proxies named in TRUST_PROXY: trusting every private range let
  // any client on the network pick its own address, and so dodge per-address limits.
  app.set('trust proxy', config.TRUST_PROXY.length > 0 ? config.TRUST_PROXY : false);
  app.use(requestIdMiddleware);
  // A no-op when instrument.ts set tracing up; an app started in-process (tests) needs it here.
  useTraceContext();
  app.use(traceContextMiddleware);
  app.use(httpMetricsMiddleware(app.get(MetricsRegistry)));
  app.use(jsonOnlyMiddleware);
  app.useBodyParser('json', {
    limit: JSON_BODY_LIMIT,
    type: ['application/json', 'application/*+json'],
    verify: (_request: unknown, _response: unknown, raw: Buffer) => guardJsonBody(raw),
  });
  setupSwagger(app, definition.title, definition.description);

  const transport = app.connectMicroservice(
    {
      strategy: new RabbitMqTransport(
        app.get(RabbitMqConnection),
        {
          prefetch: config.CONSUMER_PREFETCH,
          retryDelaysMs: config.CONSUMER_RETRY_DELAYS,
          drainTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
          maxEventBytes: config.MAX_EVENT_BYTES,
          eventSchemas: definition.eventSchemas ?? brokerEventValidator(),
        },
        app.get(MessagingMetrics),
      ),
    },
    // Deferred so that the filter below is in place before handlers are wired.
    { inheritAppConfig: false, deferInitialization: true },
  );
  transport.useGlobalFilters(new RethrowRpcErrorsFilter());
  // Both calls run the lifecycle hooks of the shared modules (the microservice initialises itself
  // when deferred), so every onApplicationBootstrap must be idempotent: a second start of a
  // background loop is a second loop.
  await app.startAllMicroservices();
  await app.init();
  return app;
}
