export * from './common.errors';
export * from './domain-error';
export * from './error-kind';
export * from './error-type';
