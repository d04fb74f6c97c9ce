export * from './amqp-probe';
export * from './eventually';
export * from './rabbitmq-admin';
export * from './test-app';
export * from './test-environment';
export * from './probe-app';
