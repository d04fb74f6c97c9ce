export * from './http-metrics.middleware';
export * from './logging.module';
export * from './metrics.controller';
export * from './metrics.module';
export * from './metrics.registry';
export * from './sentry';
export * from './trace-context';
export * from './trace-context.middleware';
