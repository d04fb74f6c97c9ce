export * from './consume-event.decorator';
export * from './event-publisher';
export * from './messaging.module';
export * from './rabbitmq.connection';
export * from './rabbitmq.context';
export * from './rabbitmq.health';
export * from './rabbitmq.transport';
export * from './topology';
