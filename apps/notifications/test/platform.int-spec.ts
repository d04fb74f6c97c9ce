import { EXCHANGES } from '@app/contracts';
import { describeAppConformance } from '@app/testing';
import { appDefinition } from '../src/app.definition';

describeAppConformance(appDefinition, { exchange: EXCHANGES.notifications, schema: 'notifications' });
