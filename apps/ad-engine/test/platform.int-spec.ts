import { EXCHANGES } from '@app/contracts';
import { describeAppConformance } from '@app/testing';
import { appDefinition } from '../src/app.definition';
import { FUNDS_QUEUE } from '../src/balance-events/funds-queue';

describeAppConformance(appDefinition, {
  exchange: EXCHANGES.adEngine,
  schema: 'ad_engine',
  queues: [FUNDS_QUEUE],
  receives: { [FUNDS_QUEUE]: ['account.balance_updated'] },
});
