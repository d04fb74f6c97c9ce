import { EXCHANGES } from '@app/contracts';
import { catalogueEvent, eventually, sql, useDeliveryHarness, useTestApp } from '@app/testing';
import { appDefinition } from '../src/app.definition';
import { DeliveriesRepository } from '../src/deliveries/deliveries.repository';
import { DeliveryDispatcher } from '../src/deliveries/delivery-dispatcher';

const ARCHIVED = 1_500;

/**
 * CONTRACT.md section 8: replays are paced so that live traffic is never starved. A replay's
 * deliveries queue behind nothing, but live ones queue in front of them: a live event published
 * while a large replay is being sent arrives long before the replay ends.
 */
describe('a large replay beside live traffic', () => {
  const harness = useDeliveryHarness(appDefinition, { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });

  it('delivers a live event before the replay in progress is through', async () => {
    const archived = Array.from({ length: ARCHIVED }, () => catalogueEvent('account.created'));
    for (const event of archived) harness.amqp.publishEvent(EXCHANGES.transactions, event);
    await eventually(
      async () => {
        const [{ count }] = await sql<{ count: string }>(
          harness.environment.databaseUrl,
          'SELECT count(*) FROM notifications.event_archive',
        );
        expect(Number(count)).toBe(ARCHIVED);
      },
      { timeoutMs: 30_000 },
    );
    // Slow enough that the replay takes seconds: 16 attempts at a time, 40 ms each.
    harness.receiver.behaviour = { status: 204, delayMs: 40 };
    const endpoint = await harness.api.post('/webhooks', { url: harness.receiver.url });
    const replay = await harness.api.post(`/webhooks/${endpoint.body.id}/replay`, { since: '2000-01-01T00:00:00Z' });
    expect(replay.body).toEqual({ replayed: ARCHIVED });

    await eventually(() => expect(harness.receiver.received.length).toBeGreaterThan(50));
    const live = catalogueEvent('account.created');
    harness.amqp.publishEvent(EXCHANGES.transactions, live);
    const liveArrival = await eventually(
      () => {
        const index = harness.receiver.received.findIndex((request) => request.headers['webhook-id'] === live.id);
        expect(index).toBeGreaterThanOrEqual(0);
        return index;
      },
      { timeoutMs: 30_000 },
    );
    const liveRequest = harness.receiver.received[liveArrival];
    expect(liveRequest.headers['webhook-replay']).toBeUndefined();
    // Behind it: at most what the lane had already claimed when it was published.
    const replayedBefore = harness.receiver.received
      .slice(0, liveArrival)
      .filter((request) => request.headers['webhook-replay'] === 'true').length;
    expect(replayedBefore).toBeLessThan(ARCHIVED / 2);
    await eventually(() => expect(harness.receiver.received.length).toBe(ARCHIVED + 1), { timeoutMs: 60_000 });
  }, 120_000);
});

describe('claims with a replay waiting', () => {
  const setup = useTestApp(appDefinition, { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });

  it('take a live delivery before every replayed one that came due earlier', async () => {
    // Nothing claims but this test.
    await setup.app.app.get(DeliveryDispatcher).beforeApplicationShutdown();
    const deliveries = setup.app.app.get(DeliveriesRepository);
    const endpoint = await setup.api.post('/webhooks', { url: 'http://127.0.0.1:9/hooks' });
    const replayed = Array.from({ length: 500 }, () => ({
      endpointId: endpoint.body.id,
      event: catalogueEvent('account.created'),
    }));
    await deliveries.insertFor(undefined, replayed, { replay: true });
    const [liveId] = await deliveries.insertFor(undefined, [
      { endpointId: endpoint.body.id, event: catalogueEvent('account.created') },
    ]);

    const claimed = await deliveries.claimDue({ limit: 10, perEndpoint: 10, claimMs: 60_000, claimedBy: 1 });
    expect(claimed.map((delivery) => delivery.id)[0]).toBe(liveId);
    // And the replayed ones in the order they were given (publish order).
    const replayedIds = claimed.slice(1).map((delivery) => delivery.event_id);
    expect(replayedIds).toEqual(replayed.slice(0, 9).map(({ event }) => event.id));
  });
});
