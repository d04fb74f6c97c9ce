import type { PlatformConfig } from '@app/config';
import { AsyncApiReceive, buildAsyncApiDocument, ExchangeName } from '@app/contracts';
import type { MessagingModuleOptions } from '@app/messaging';
import { brokerOf } from './broker-address';

/**
 * The AsyncAPI document of the platform's events from one app's point of view: what GET
 * /asyncapi.json serves and what `npm run docs:generate` writes to docs/asyncapi/<app>.json.
 * `receives` are its consumers (consumersOf the app's modules).
 */
export function buildAppAsyncApiDocument(
  options: MessagingModuleOptions,
  config: Pick<PlatformConfig, 'RABBITMQ_URL'>,
  receives: readonly AsyncApiReceive[],
): Record<string, unknown> {
  return buildAsyncApiDocument({
    title: `${options.appName} events`,
    version: process.env.APP_VERSION ?? '0.1.0',
    exchange: options.exchange as ExchangeName,
    broker: brokerOf(config.RABBITMQ_URL),
    receives,
  });
}
