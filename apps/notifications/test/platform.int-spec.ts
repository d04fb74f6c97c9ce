import { EXCHANGES } from '@app/contracts';
import { describeAppConformance } from '@app/testing';
import { appDefinition } from '../src/app.definition';
import { FAN_OUT_QUEUE } from '../src/fan-out/event-fan-out.consumer';

describeAppConformance(appDefinition, {
  exchange: EXCHANGES.notifications,
  schema: 'notifications',
  queues: [FAN_OUT_QUEUE],
  zeroCounters: ['succeeded', 'failed'].map((outcome) => ({ name: 'webhook_attempts_total', labels: { outcome } })),
});
