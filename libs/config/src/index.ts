export * from './config-error';
export * from './config.tokens';
export * from './duration';
export * from './env-schema';
export * from './load-config';
export * from './startup-error';
