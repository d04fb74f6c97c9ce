export * from './event-envelope';
export * from './exchanges';
export * from './topic-pattern';
export * from './events';
export * from './event-patterns';
