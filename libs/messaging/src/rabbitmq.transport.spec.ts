import { brokerEventValidator } from '@app/contracts';
import type { MessagingMetrics } from './messaging.metrics';
import type { RabbitMqConnection } from './rabbitmq.connection';
import { RabbitMqTransport } from './rabbitmq.transport';

describe('RabbitMqTransport handler registration', () => {
  const transport = () =>
    new RabbitMqTransport(
      {} as RabbitMqConnection,
      {
        prefetch: 10,
        retryDelaysMs: [],
        drainTimeoutMs: 10,
        maxEventBytes: 1024,
        eventSchemas: brokerEventValidator(),
      },
      {} as MessagingMetrics,
    );
  const handler = () => Object.assign(async () => undefined, { isEventHandler: true });

  it('refuses a second handler for the same pattern on the same queue', () => {
    const server = transport();
    server.addHandler('#', handler(), true, { exchange: 'a.events', queue: 'q' });
    expect(() => server.addHandler('#', handler(), true, { exchange: 'b.events', queue: 'q' })).toThrow(
      /two handlers for # on q/,
    );
  });

  it('accepts one handler bound to several exchanges, and the same pattern on different queues', () => {
    const server = transport();
    expect(() => {
      server.addHandler('#', handler(), true, { exchange: ['a.events', 'b.events'], queue: 'q' });
      server.addHandler('#', handler(), true, { exchange: 'a.events', queue: 'other' });
    }).not.toThrow();
  });
});
