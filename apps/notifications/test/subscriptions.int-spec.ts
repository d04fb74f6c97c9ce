import { EventEnvelope, EXCHANGES } from '@app/contracts';
import { catalogueEvent, eventually, metricValue, RabbitMqAdmin, sql, useDeliveryHarness } from '@app/testing';
import type { GetMessage } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { appDefinition } from '../src/app.definition';

/** CONTRACT.md section 8: subscriptions forward matching events to queues the platform owns. */
describe('event-bus subscriptions (queue targets)', () => {
  const harness = useDeliveryHarness(appDefinition, { WEBHOOK_RETRY_SCHEDULE: '200ms,400ms,800ms' });
  const admin = RabbitMqAdmin.fromEnv();

  const subscribe = async (body: Record<string, unknown>) => {
    const response = await harness.api.post('/subscriptions', body);
    expect(response.status).toBe(201);
    return response.body as { id: string; queue: string };
  };
  /** Takes what `subscriptions.<queue>` holds until `count` messages have been read. */
  const read = async (queue: string, count: number): Promise<GetMessage[]> => {
    const messages: GetMessage[] = [];
    await eventually(async () => {
      for (;;) {
        const message = await harness.amqp.channel.get(`subscriptions.${queue}`, { noAck: true });
        if (!message) break;
        messages.push(message);
      }
      expect(messages.length).toBeGreaterThanOrEqual(count);
    });
    return messages;
  };
  const idsOf = (messages: GetMessage[]) => messages.map((message) => String(message.properties.messageId));
  const publish = (event: EventEnvelope) => harness.amqp.publishEvent(EXCHANGES.transactions, event);
  const queueName = () => `q-${randomUUID().slice(0, 8)}`;

  it('declares subscriptions.<queue> as a quorum queue with its .dlq, and answers the subscription', async () => {
    const queue = queueName();
    const created = await harness.api.post('/subscriptions', { queue, eventTypes: ['transaction.*'] });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      queue,
      eventTypes: ['transaction.*'],
      filter: null,
      ordering: 'none',
      description: null,
      enabled: true,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const declared = await admin.queue(harness.environment.vhost, `subscriptions.${queue}`);
    expect(declared?.arguments).toMatchObject({
      'x-queue-type': 'quorum',
      'x-dead-letter-exchange': '',
      'x-dead-letter-routing-key': `subscriptions.${queue}.dlq`,
    });
    expect(await admin.queue(harness.environment.vhost, `subscriptions.${queue}.dlq`)).toMatchObject({
      arguments: { 'x-queue-type': 'quorum' },
    });
    expect((await harness.api.get(`/subscriptions/${created.body.id}`)).body).toEqual(created.body);
    const listed = await harness.api.get('/subscriptions');
    expect(listed.body.data).toContainEqual(created.body);
  });

  it('forwards every matching event with its envelope, its properties and x-subscription-id, and nothing else', async () => {
    const { id, queue } = await subscribe({ queue: queueName(), eventTypes: ['transaction.created'] });
    const wanted = catalogueEvent('transaction.created');
    const traced = {
      ...catalogueEvent('transaction.created'),
      traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`,
    };
    publish(catalogueEvent('account.balance_updated'));
    publish(wanted);
    publish(traced);

    const messages = await read(queue, 2);
    expect(idsOf(messages).sort()).toEqual([wanted.id, traced.id].sort());
    const forwarded = messages.find((message) => message.properties.messageId === wanted.id)!;
    expect(JSON.parse(forwarded.content.toString('utf8'))).toEqual(wanted);
    expect(forwarded.fields.exchange).toBe('');
    expect(forwarded.properties).toMatchObject({
      contentType: 'application/cloudevents+json',
      messageId: wanted.id,
      type: 'transaction.created',
      appId: 'transactions',
      timestamp: Math.floor(Date.parse(wanted.time) / 1000),
      deliveryMode: 2,
      headers: { 'x-subscription-id': id },
    });
    expect(forwarded.properties.headers).not.toHaveProperty('x-replay');
    const withTrace = messages.find((message) => message.properties.messageId === traced.id)!;
    expect(withTrace.properties.headers).toMatchObject({ traceparent: traced.traceparent, 'x-subscription-id': id });
    // The balance update did not match: nothing more arrives.
    expect(await harness.amqp.drain(`subscriptions.${queue}`)).toEqual([]);
    const metrics = (await harness.api.get('/metrics')).text;
    expect(metricValue(metrics, 'subscription_forwards_total', { outcome: 'succeeded' })).toBeGreaterThanOrEqual(2);
  });

  it('forwards only what its content filter matches: large EUR deposits, amounts compared exactly', async () => {
    const filter = {
      data: { type: ['deposit'], currency: ['EUR'], amount: [{ numeric: ['>=', 100000] }] },
    };
    const created = await harness.api.post('/subscriptions', {
      queue: queueName(),
      eventTypes: ['transaction.created'],
      filter,
    });
    expect(created.status).toBe(201);
    expect(created.body.filter).toEqual(filter);
    const deposit = (amount: string, currency = 'EUR', type: 'deposit' | 'withdrawal' = 'deposit') =>
      catalogueEvent('transaction.created', { amount, currency, type });
    const large = deposit('100000');
    // 18 digits, past what a float holds exactly: compared as the decimal string it is.
    const huge = deposit('900719925474099312');
    for (const event of [
      deposit('99999'),
      large,
      deposit('500000', 'USD'),
      deposit('200000', 'EUR', 'withdrawal'),
      huge,
    ]) {
      publish(event);
    }
    const messages = await read(created.body.queue, 2);
    expect(idsOf(messages).sort()).toEqual([large.id, huge.id].sort());

    // A changed filter applies to what comes next.
    const patched = await harness.api.patch(`/subscriptions/${created.body.id}`, {
      filter: { data: { currency: ['USD'] } },
    });
    expect(patched.body.filter).toEqual({ data: { currency: ['USD'] } });
    const dollars = deposit('1', 'USD');
    publish(deposit('1'));
    publish(dollars);
    expect(idsOf(await read(created.body.queue, 1))).toEqual([dollars.id]);
  });

  it('answers a bad filter with 400 naming the offending part, and changes nothing', async () => {
    const queue = queueName();
    const refused = await harness.api.post('/subscriptions', {
      queue,
      filter: { data: { amount: [{ numeric: ['>=', 'a lot'] }] } },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.errors.map((error: { field: string }) => error.field)).toEqual([
      'filter.data.amount[0].numeric[1]',
    ]);
    expect(await admin.queue(harness.environment.vhost, `subscriptions.${queue}`)).toBeNull();
    for (const filter of [null, [], {}, 'type', { type: 'transaction.created' }, { data: { x: [{ regex: '.*' }] } }]) {
      expect({ filter, status: (await harness.api.post('/subscriptions', { queue, filter })).status }).toEqual({
        filter,
        status: 400,
      });
    }
    const tooLarge = { data: { note: ['x'.repeat(5_000)] } };
    expect((await harness.api.post('/subscriptions', { queue, filter: tooLarge })).status).toBe(400);
    const { id } = await subscribe({ queue });
    const patch = await harness.api.patch(`/subscriptions/${id}`, { filter: { data: [] } });
    expect(patch.status).toBe(400);
    expect((await harness.api.get(`/subscriptions/${id}`)).body.filter).toBeNull();
  });

  it('refuses a queue another subscription has (409 queue-taken) and bad queue names (400)', async () => {
    const { queue } = await subscribe({ queue: queueName() });
    const taken = await harness.api.post('/subscriptions', { queue });
    expect(taken.status).toBe(409);
    expect(taken.body.type).toMatch(/queue-taken$/);
    for (const bad of ['', 'Upper', 'with space', 'x'.repeat(101), 'ends.dlq', null, 42]) {
      const refused = await harness.api.post('/subscriptions', { queue: bad });
      expect({
        bad,
        status: refused.status,
        fields: [...new Set(refused.body.errors?.map((e: { field: string }) => e.field))],
      }).toEqual({ bad, status: 400, fields: ['queue'] });
    }
    for (const body of [
      { queue: queueName(), ordering: 'random' },
      { queue: queueName(), eventTypes: ['Bad Pattern'] },
    ]) {
      expect((await harness.api.post('/subscriptions', body)).status).toBe(400);
    }
  });

  it('keeps webhooks and subscriptions apart: each API answers 404 for the other', async () => {
    const { id } = await subscribe({ queue: queueName() });
    expect((await harness.api.get(`/webhooks/${id}`)).status).toBe(404);
    expect((await harness.api.delete(`/webhooks/${id}`)).status).toBe(404);
    const webhook = await harness.api.post('/webhooks', { url: 'https://example.com/hooks' });
    expect((await harness.api.get(`/subscriptions/${webhook.body.id}`)).status).toBe(404);
    expect((await harness.api.get('/webhooks')).body.data.map((item: { id: string }) => item.id)).not.toContain(id);
  });

  it('stops forwarding while disabled, and again once deleted; the queue stays until deleteQueue=true', async () => {
    const { id, queue } = await subscribe({ queue: queueName(), eventTypes: ['account.created'] });
    const patched = await harness.api.patch(`/subscriptions/${id}`, { enabled: false, description: 'paused' });
    expect(patched.body).toMatchObject({ enabled: false, description: 'paused' });
    const whileDisabled = catalogueEvent('account.created');
    publish(whileDisabled);
    // Fanned out (archived) while the subscription is still disabled: enabling it before the
    // fan-out had seen the event would make it a fair forward.
    await eventually(async () =>
      expect(
        await sql(harness.environment.databaseUrl, 'SELECT 1 FROM notifications.event_archive WHERE event_id = $1', [
          whileDisabled.id,
        ]),
      ).toHaveLength(1),
    );
    await harness.api.patch(`/subscriptions/${id}`, { enabled: true });
    const afterEnabling = catalogueEvent('account.created');
    publish(afterEnabling);
    expect(idsOf(await read(queue, 1))).toEqual([afterEnabling.id]);

    expect((await harness.api.delete(`/subscriptions/${id}`)).status).toBe(204);
    expect((await harness.api.get(`/subscriptions/${id}`)).status).toBe(404);
    expect(await admin.queue(harness.environment.vhost, `subscriptions.${queue}`)).not.toBeNull();

    const again = await subscribe({ queue, eventTypes: ['account.created'] });
    expect((await harness.api.delete(`/subscriptions/${again.id}?deleteQueue=true`)).status).toBe(204);
    expect(await admin.queue(harness.environment.vhost, `subscriptions.${queue}`)).toBeNull();
    expect(await admin.queue(harness.environment.vhost, `subscriptions.${queue}.dlq`)).toBeNull();
    expect((await harness.api.delete(`/subscriptions/${again.id}`)).status).toBe(404);
    expect((await harness.api.delete(`/subscriptions/${randomUUID()}?deleteQueue=maybe`)).status).toBe(400);
  });

  it('declares the queue again when it was deleted behind its back, and the event still arrives', async () => {
    const { queue } = await subscribe({ queue: queueName(), eventTypes: ['account.created'] });
    await harness.amqp.channel.deleteQueue(`subscriptions.${queue}`);
    const event = catalogueEvent('account.created');
    publish(event);
    // Read only once it exists again: a get from a missing queue would close the probe's channel.
    await eventually(async () =>
      expect(await admin.queue(harness.environment.vhost, `subscriptions.${queue}`)).not.toBeNull(),
    );
    expect(idsOf(await read(queue, 1))).toEqual([event.id]);
  });

  it('replays the archive in [since, until) in publish order, with x-replay: true', async () => {
    const before = catalogueEvent('account.created');
    const inside = [1, 2, 3].map(() => catalogueEvent('account.created'));
    const after = catalogueEvent('account.created');
    const times = ['2026-03-01T00:00:00.000Z', ...inside.map((_, index) => `2026-03-02T00:00:0${index}.000Z`)];
    const events = [before, ...inside, after].map((event, index) => ({
      ...event,
      time: times[index] ?? '2026-03-04T00:00:00.000Z',
    }));
    // Archived by the fan-out before the subscription exists.
    events.forEach(publish);
    await eventually(async () => {
      const [{ count }] = await sql<{ count: string }>(
        harness.environment.databaseUrl,
        'SELECT count(*) FROM notifications.event_archive WHERE event_id = ANY($1)',
        [events.map((event) => event.id)],
      );
      expect(Number(count)).toBe(events.length);
    });
    const { id, queue } = await subscribe({ queue: queueName(), eventTypes: ['account.created'] });
    const replay = await harness.api.post(`/subscriptions/${id}/replay`, {
      since: '2026-03-02T00:00:00Z',
      until: '2026-03-03T00:00:00Z',
    });
    expect(replay.status).toBe(202);
    expect(replay.body).toEqual({ replayed: 3 });
    const messages = await read(queue, 3);
    expect(idsOf(messages)).toEqual(events.slice(1, 4).map((event) => event.id));
    expect(messages.every((message) => message.properties.headers?.['x-replay'] === true)).toBe(true);
    expect(messages.every((message) => message.properties.headers?.['x-subscription-id'] === id)).toBe(true);
    expect((await harness.api.post(`/subscriptions/${id}/replay`, { since: 'yesterday' })).status).toBe(400);
    expect((await harness.api.post(`/subscriptions/${randomUUID()}/replay`, { since: times[0] })).status).toBe(404);
  });
});
