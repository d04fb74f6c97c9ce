import { describeProcessStartup } from '@app/testing';

describeProcessStartup('transactions', { checkDependencies: true });
