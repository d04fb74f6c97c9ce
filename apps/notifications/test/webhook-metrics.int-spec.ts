import { EXCHANGES } from '@app/contracts';
import { catalogueEvent, eventually, metricValue, useDeliveryHarness } from '@app/testing';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { appDefinition } from '../src/app.definition';

/** An address nothing listens on: attempts there end without an answer (status class `none`). */
async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}/hooks`;
}

/** CONTRACT.md section 10: the webhook series move with real deliveries to a real receiver. */
describe('notifications webhook metrics', () => {
  // One retry, soon: a failing delivery is attempted twice, then dead.
  const setup = useDeliveryHarness(appDefinition, {
    WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    WEBHOOK_RETRY_SCHEDULE: '300ms',
  });

  const scrape = async () => (await setup.api.get('/metrics')).text;
  /** Each test subscribes to a type of its own, so the endpoints of one never see another's events. */
  const subscribe = async (url: string, eventType: string) => {
    const response = await setup.api.post('/webhooks', { url, eventTypes: [eventType] });
    expect(response.status).toBe(201);
  };
  const attempts = (text: string, outcome: string, statusClass: string) =>
    metricValue(text, 'webhook_attempts_total', { outcome, status_class: statusClass }) ?? NaN;
  const deliveries = (text: string, status: string) => metricValue(text, 'webhook_deliveries', { status }) ?? NaN;

  it('counts attempts by outcome and status class, and deliveries given up as dead', async () => {
    const { receiver } = setup;
    const answers: Record<string, number> = { '/moved': 302, '/missing': 404, '/broken': 503, '/ok': 204 };
    receiver.behaviour = (request) => ({ status: answers[request.path] ?? 500 });
    const before = await scrape();
    for (const path of Object.keys(answers)) await subscribe(`${receiver.origin}${path}`, 'transaction.created');
    await subscribe(await closedPort(), 'transaction.created');

    setup.amqp.publishEvent(EXCHANGES.transactions, catalogueEvent('transaction.created'));

    // Four endpoints fail twice each (the attempt and its one retry), then their deliveries die.
    await eventually(async () => expect(deliveries(await scrape(), 'dead') - deliveries(before, 'dead')).toBe(4));
    // Read the counters from a scrape of their own: within one scrape they are read before the
    // gauge's query, so an attempt counted (then recorded dead) while that query ran is left out.
    const after = await scrape();
    const moved = (outcome: string, statusClass: string) =>
      attempts(after, outcome, statusClass) - attempts(before, outcome, statusClass);
    expect({
      '2xx': moved('succeeded', '2xx'),
      '3xx': moved('failed', '3xx'),
      '4xx': moved('failed', '4xx'),
      '5xx': moved('failed', '5xx'),
      none: moved('failed', 'none'),
    }).toEqual({ '2xx': 1, '3xx': 2, '4xx': 2, '5xx': 2, none: 2 });
  });

  it('reports a delivery pending while first attempted, failed while it waits for its retry, then dead', async () => {
    const { receiver } = setup;
    // Slow failures: each state lasts long enough for a scrape to see it.
    receiver.behaviour = (request) => (request.path === '/slow' ? { status: 500, delayMs: 1_500 } : { status: 204 });
    const before = await scrape();
    const moved = async () => {
      const text = await scrape();
      return ['pending', 'failed', 'dead'].map((status) => deliveries(text, status) - deliveries(before, status));
    };
    await subscribe(`${receiver.origin}/slow`, 'account.balance_updated');

    setup.amqp.publishEvent(EXCHANGES.transactions, catalogueEvent('account.balance_updated'));

    await eventually(async () => expect(await moved()).toEqual([1, 0, 0]));
    await eventually(async () => expect(await moved()).toEqual([0, 1, 0]));
    await eventually(async () => expect(await moved()).toEqual([0, 0, 1]));
  });

  it("measures the time from the event's commit (its envelope time) to the webhook's 2xx", async () => {
    const { receiver } = setup;
    receiver.behaviour = { status: 200 };
    const count = (text: string, le?: string) =>
      le === undefined
        ? (metricValue(text, 'webhook_end_to_end_seconds_count') ?? NaN)
        : (metricValue(text, 'webhook_end_to_end_seconds_bucket', { le }) ?? NaN);
    const before = await scrape();
    await subscribe(`${receiver.origin}/latency`, 'campaign.paused');

    // One event committed just now, one committed 30 s ago (published late, as after an outage).
    const fresh = catalogueEvent('campaign.paused');
    const late = { ...catalogueEvent('campaign.paused'), time: new Date(Date.now() - 30_000).toISOString() };
    setup.amqp.publishEvent(EXCHANGES.adEngine, fresh);
    setup.amqp.publishEvent(EXCHANGES.adEngine, late);

    const after = await eventually(async () => {
      const text = await scrape();
      expect(count(text) - count(before)).toBe(2);
      return text;
    });
    const moved = (le: string) => count(after, le) - count(before, le);
    expect({ within5s: moved('5'), within15s: moved('15'), within60s: moved('60') }).toEqual({
      within5s: 1,
      within15s: 1,
      within60s: 2,
    });
  });
});
