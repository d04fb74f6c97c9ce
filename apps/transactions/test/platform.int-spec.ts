import { EXCHANGES } from '@app/contracts';
import { describeAppConformance } from '@app/testing';
import { appDefinition } from '../src/app.definition';

describeAppConformance(appDefinition, {
  exchange: EXCHANGES.transactions,
  schema: 'transactions',
  servesEventLog: true,
});
