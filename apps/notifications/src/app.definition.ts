import type { AppDefinition } from '@app/bootstrap';
import { NotificationsAppModule } from './app.module';
import { NotificationsConfig, notificationsEnvSchema } from './config';

export const appDefinition: AppDefinition<NotificationsConfig> = {
  name: 'notifications',
  title: 'Notifications API',
  description:
    'Webhook subscriptions: every platform event delivered to subscribed HTTP endpoints, signed per Standard Webhooks, with retries and a delivery log.',
  envSchema: notificationsEnvSchema,
  rootModule: (config) => NotificationsAppModule.register(config),
};
