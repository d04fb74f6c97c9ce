import type { EventEnvelope } from '@app/contracts';
import type { EventRecordView } from '@app/messaging';
import { assembleTrace, DeliveryTrail, TraceParts } from './event-trace';

const ID = '2d3b7f40-0c36-4e0c-8a8f-4a1d5f3b9e11';
const envelope = { id: ID, type: 'transaction.created', source: '/transactions' } as EventEnvelope;

const produced: EventRecordView = {
  id: ID,
  outbox: { envelope, committedAt: '2026-01-02T03:04:05.100001Z', publishedAt: '2026-01-02T03:04:05.100002Z' },
  inbox: [],
};
const appliedBy = (consumer: string, appliedAt: string): EventRecordView => ({
  id: ID,
  outbox: null,
  inbox: [{ consumer, appliedAt }],
});

const parts = (overrides: Partial<TraceParts>): TraceParts => ({
  id: ID,
  records: [
    { app: 'transactions', record: undefined },
    { app: 'ad-engine', record: undefined },
    { app: 'notifications', record: undefined },
  ],
  received: undefined,
  deliveries: [],
  ...overrides,
});

const at = (iso: string) => new Date(iso);

describe('assembleTrace', () => {
  it('is undefined when no app has a trace of the event', () => {
    expect(assembleTrace(parts({}))).toBeUndefined();
  });

  it("takes the times from the producer's outbox and lists every consumer in the order they applied it", () => {
    const trace = assembleTrace(
      parts({
        records: [
          { app: 'transactions', record: produced },
          { app: 'ad-engine', record: appliedBy('ad-engine.funds', '2026-01-02T03:04:05.300000Z') },
          { app: 'notifications', record: appliedBy('notifications.deliveries', '2026-01-02T03:04:05.200000Z') },
        ],
        received: envelope,
      }),
    );
    expect(trace).toEqual({
      id: ID,
      type: 'transaction.created',
      source: '/transactions',
      committedAt: '2026-01-02T03:04:05.100001Z',
      publishedAt: '2026-01-02T03:04:05.100002Z',
      consumers: [
        {
          app: 'notifications',
          queue: 'notifications.deliveries',
          at: '2026-01-02T03:04:05.200000Z',
          outcome: 'applied',
        },
        { app: 'ad-engine', queue: 'ad-engine.funds', at: '2026-01-02T03:04:05.300000Z', outcome: 'applied' },
      ],
      deliveries: [],
      subscriptions: [],
      incomplete: [],
    });
  });

  it('orders consumers apart by the microsecond', () => {
    const trace = assembleTrace(
      parts({
        records: [
          { app: 'ad-engine', record: appliedBy('ad-engine.funds', '2026-01-02T03:04:05.300002Z') },
          { app: 'notifications', record: appliedBy('notifications.deliveries', '2026-01-02T03:04:05.300001Z') },
        ],
      }),
    );
    expect(trace?.consumers.map((consumer) => consumer.app)).toEqual(['notifications', 'ad-engine']);
  });

  it("knows the envelope from notifications' copy but no times once the producer pruned its outbox row", () => {
    const trace = assembleTrace(parts({ received: envelope }));
    expect(trace).toMatchObject({ type: 'transaction.created', committedAt: null, publishedAt: null, incomplete: [] });
  });

  it('leaves publishedAt null while the event waits in the outbox', () => {
    const pending = { ...produced, outbox: { ...produced.outbox!, publishedAt: null } };
    const trace = assembleTrace(parts({ records: [{ app: 'transactions', record: pending }] }));
    expect(trace).toMatchObject({ committedAt: '2026-01-02T03:04:05.100001Z', publishedAt: null });
  });

  it('names the apps that could not be asked and answers with what the others kept', () => {
    const trace = assembleTrace(
      parts({
        records: [
          { app: 'transactions', record: produced },
          { app: 'ad-engine', unreachable: true },
          { app: 'notifications', record: appliedBy('notifications.deliveries', '2026-01-02T03:04:05.200000Z') },
        ],
      }),
    );
    expect(trace).toMatchObject({ incomplete: ['ad-engine'], consumers: [{ app: 'notifications' }] });
  });

  it('is undefined when only an app that could not be asked might know it', () => {
    const trace = assembleTrace(parts({ records: [{ app: 'transactions', unreachable: true }] }));
    expect(trace).toBeUndefined();
  });

  it('puts webhook deliveries under deliveries and forwards to queues under subscriptions', () => {
    const deliveries: DeliveryTrail[] = [
      {
        endpointId: 'webhook-1',
        kind: 'webhook',
        status: 'succeeded',
        attempts: [
          { at: at('2026-01-02T03:04:06.000Z'), statusCode: 500, durationMs: 7, error: 'HTTP 500' },
          { at: at('2026-01-02T03:04:11.000Z'), statusCode: 204, durationMs: 5, error: null },
        ],
      },
      {
        endpointId: 'subscription-1',
        kind: 'queue',
        status: 'succeeded',
        attempts: [
          { at: at('2026-01-02T03:04:06.000Z'), statusCode: null, durationMs: 3, error: 'returned: no queue' },
          { at: at('2026-01-02T03:04:07.000Z'), statusCode: null, durationMs: 2, error: null },
        ],
      },
      { endpointId: 'subscription-2', kind: 'queue', status: 'pending', attempts: [] },
    ];
    const trace = assembleTrace(parts({ received: envelope, deliveries }));
    expect(trace?.deliveries).toEqual([
      {
        webhookId: 'webhook-1',
        status: 'succeeded',
        attempts: [
          { at: '2026-01-02T03:04:06.000Z', statusCode: 500, durationMs: 7 },
          { at: '2026-01-02T03:04:11.000Z', statusCode: 204, durationMs: 5 },
        ],
      },
    ]);
    expect(trace?.subscriptions).toEqual([
      { id: 'subscription-1', forwardedAt: '2026-01-02T03:04:07.000Z' },
      { id: 'subscription-2', forwardedAt: null },
    ]);
  });
});
