export * from './app-definition';
export * from './create-app';
export * from './platform.module';
export * from './run-app';
export * from './swagger';
export * from './asyncapi-document';
export * from './readiness-check';
export * from './heap-growth';
