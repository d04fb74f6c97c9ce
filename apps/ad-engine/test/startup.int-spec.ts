import { describeProcessStartup } from '@app/testing';

describeProcessStartup('ad-engine');
