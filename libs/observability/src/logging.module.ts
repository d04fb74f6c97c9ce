import { PLATFORM_CONFIG, PlatformConfig } from '@app/config';
import { DynamicModule, Module } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { serializeRequestForLog } from './request-log-url';
import { currentTraceId } from './trace-context';

/** Never written to logs: credentials in headers, and anything that looks like a secret. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.secret',
  '*.secrets',
  '*.password',
  '*.apiKey',
  // A failed query's values (TypeORM's QueryFailedError): an endpoint's secret, for one.
  'err.parameters',
];

const QUIET_ROUTES = new Set(['/health/live', '/health/ready', '/metrics']);

/**
 * JSON lines on stdout through pino, one per request, carrying the request id that the
 * request-id middleware assigned (and echoed as `x-request-id`).
 */
@Module({})
export class LoggingModule {
  static forRoot(appName: string): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRootAsync({
          inject: [PLATFORM_CONFIG],
          useFactory: (config: PlatformConfig) => ({
            pinoHttp: {
              level: config.LOG_LEVEL,
              base: { app: appName },
              messageKey: 'message',
              timestamp: () => `,"time":"${new Date().toISOString()}"`,
              formatters: { level: (label: string) => ({ level: label }) },
              // Every line written while a trace is active (a request's, a consumed message's) names it.
              mixin: () => {
                const traceId = currentTraceId();
                return traceId ? { traceId } : {};
              },
              redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
              // Query strings carry credentials as often as headers do (`?api_key=`).
              serializers: { req: serializeRequestForLog },
              genReqId: (request: IncomingMessage) => request.id ?? 'unknown',
              customAttributeKeys: { reqId: 'requestId' },
              autoLogging: { ignore: (request: IncomingMessage) => QUIET_ROUTES.has(request.url ?? '') },
              quietReqLogger: true,
            },
          }),
        }),
      ],
    };
  }
}
