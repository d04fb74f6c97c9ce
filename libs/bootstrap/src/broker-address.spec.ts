import { brokerOf } from './broker-address';

describe('brokerOf', () => {
  it('names host, port and vhost, never the credentials', () => {
    expect(brokerOf('amqp://user:secret@rabbitmq:5673/billing')).toEqual({
      protocol: 'amqp',
      host: 'rabbitmq:5673',
      vhost: 'billing',
    });
  });

  it('fills in the defaults: the port of the scheme and the vhost /', () => {
    expect(brokerOf('amqp://guest:guest@rabbitmq')).toEqual({ protocol: 'amqp', host: 'rabbitmq:5672', vhost: '/' });
    expect(brokerOf('amqps://mq.example.com/%2F')).toEqual({
      protocol: 'amqps',
      host: 'mq.example.com:5671',
      vhost: '/',
    });
  });

  it('keeps a malformed escape as written rather than failing', () => {
    expect(brokerOf('amqp://h/%zz').vhost).toBe('%zz');
  });
});
