import { EventEnvelope, EXCHANGES } from '@app/contracts';
import { catalogueEvent, eventually, ReceivedWebhook, useDeliveryHarness } from '@app/testing';
import type { GetMessage } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { appDefinition } from '../src/app.definition';

const SUBJECTS = 50;
const EVENTS_PER_SUBJECT = 6;

/** A small seeded generator: a failing run can be replayed exactly. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * `SUBJECTS` accounts with `EVENTS_PER_SUBJECT` balance updates each, interleaved across accounts,
 * each with the `sequence` its producer's relay would give it (publish order).
 */
function interleavedEvents(): EventEnvelope[] {
  const accounts = Array.from({ length: SUBJECTS }, () => randomUUID());
  const events: EventEnvelope[] = [];
  for (let round = 0; round < EVENTS_PER_SUBJECT; round++) {
    for (const accountId of accounts) {
      const event = catalogueEvent('account.balance_updated', { accountId, version: round + 1 });
      events.push({ ...event, sequence: String(events.length + 1) });
    }
  }
  return events;
}

const bySubject = <T>(items: T[], subjectOf: (item: T) => string): Map<string, T[]> => {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(subjectOf(item), [...(groups.get(subjectOf(item)) ?? []), item]);
  return groups;
};

/** CONTRACT.md section 8: `ordering: "subject"`, for webhooks and subscriptions alike. */
describe('per-subject ordering', () => {
  const harness = useDeliveryHarness(appDefinition, {
    WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    // Enough retries that no delivery dies of the receiver's random failures.
    WEBHOOK_RETRY_SCHEDULE: Array.from({ length: 14 }, () => '50ms').join(','),
  });

  it('sends one event at a time per subject in publish order while the receiver fails at random', async () => {
    const random = seededRandom(20261205);
    const events = interleavedEvents();
    /** Per subject, its events' ids not yet delivered, in publish order. */
    const undone = new Map(
      [...bySubject(events, (event) => event.subject!)].map(([subject, sent]) => [
        subject,
        sent.map((event) => event.id),
      ]),
    );
    const succeeded: ReceivedWebhook[] = [];
    const violations: string[] = [];
    harness.receiver.behaviour = (request) => {
      const event = JSON.parse(request.body) as EventEnvelope;
      const next = undone.get(event.subject!)?.[0];
      // Every attempt, failed or not, must be of its subject's earliest event not yet delivered.
      if (event.id !== next) violations.push(`${event.subject}: #${event.sequence} attempted before ${next}`);
      if (random() < 0.3) return { status: 500 };
      undone.get(event.subject!)?.shift();
      succeeded.push(request);
      return { status: 204 };
    };
    const endpoint = await harness.api.post('/webhooks', {
      url: harness.receiver.url,
      eventTypes: ['account.balance_updated'],
      ordering: 'subject',
    });
    expect(endpoint.status).toBe(201);
    expect(endpoint.body.ordering).toBe('subject');

    for (const event of events) harness.amqp.publishEvent(EXCHANGES.transactions, event);

    await eventually(() => expect(succeeded.length).toBeGreaterThanOrEqual(events.length), { timeoutMs: 120_000 });
    expect(violations).toEqual([]);
    const arrived = bySubject(
      succeeded.map((request) => JSON.parse(request.body) as EventEnvelope),
      (event) => event.subject!,
    );
    const published = bySubject(events, (event) => event.subject!);
    expect(arrived.size).toBe(SUBJECTS);
    for (const [subject, sent] of published) {
      expect({ subject, ids: arrived.get(subject)?.map((event) => event.id) }).toEqual({
        subject,
        ids: sent.map((event) => event.id),
      });
    }
  }, 180_000);

  it('forwards each subject to a subscription queue in publish order', async () => {
    const queue = `ordered-${randomUUID().slice(0, 8)}`;
    const created = await harness.api.post('/subscriptions', {
      queue,
      eventTypes: ['account.balance_updated'],
      ordering: 'subject',
    });
    expect(created.status).toBe(201);
    const events = interleavedEvents();
    for (const event of events) harness.amqp.publishEvent(EXCHANGES.transactions, event);

    const messages: GetMessage[] = [];
    await eventually(
      async () => {
        for (let message; (message = await harness.amqp.channel.get(`subscriptions.${queue}`, { noAck: true }));) {
          messages.push(message);
        }
        expect(messages.length).toBeGreaterThanOrEqual(events.length);
      },
      { timeoutMs: 60_000 },
    );
    const arrived = bySubject(
      messages.map((message) => JSON.parse(message.content.toString('utf8')) as EventEnvelope),
      (event) => event.subject!,
    );
    for (const [subject, sent] of bySubject(events, (event) => event.subject!)) {
      expect({ subject, ids: arrived.get(subject)?.map((event) => event.id) }).toEqual({
        subject,
        ids: sent.map((event) => event.id),
      });
    }
  }, 120_000);
});
