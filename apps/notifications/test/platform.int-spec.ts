import { EVENT_CATALOGUE, EVENT_TYPES, EXCHANGES } from '@app/contracts';
import { describeAppConformance } from '@app/testing';
import { appDefinition } from '../src/app.definition';
import { FAN_OUT_QUEUE } from '../src/fan-out/event-fan-out.consumer';

describeAppConformance(appDefinition, {
  exchange: EXCHANGES.notifications,
  schema: 'notifications',
  queues: [FAN_OUT_QUEUE],
  // Every event on the broker, from the three exchanges.
  receives: { [FAN_OUT_QUEUE]: EVENT_TYPES.filter((type) => EVENT_CATALOGUE[type].onBroker) },
  zeroSeries: [
    { name: 'webhook_attempts_total', labels: { outcome: 'succeeded', status_class: '2xx' } },
    ...['3xx', '4xx', '5xx', 'none'].map((statusClass) => ({
      name: 'webhook_attempts_total',
      labels: { outcome: 'failed', status_class: statusClass },
    })),
    ...['pending', 'failed', 'dead'].map((status) => ({ name: 'webhook_deliveries', labels: { status } })),
    ...['succeeded', 'failed'].map((outcome) => ({ name: 'subscription_forwards_total', labels: { outcome } })),
  ],
});
