export * from './asyncapi';
export * from './envelope-schema';
export * from './event-catalogue';
export * from './event-data';
export * from './event-schemas';
export * from './event-validator';
export * from './schema-registry';
export * from './openapi-envelope-schema';
