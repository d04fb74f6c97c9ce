import { describeProcessStartup } from '@app/testing';

describeProcessStartup('notifications');
