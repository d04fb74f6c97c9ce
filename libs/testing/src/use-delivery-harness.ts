import type { AppDefinition } from '@app/bootstrap';
import type { PlatformConfig } from '@app/config';
import { AmqpProbe } from './amqp-probe';
import { TestAppFixture, useTestApp } from './use-test-app';
import { WebhookReceiver } from './webhook-receiver';

export interface DeliveryHarness extends TestAppFixture {
  /** A plain amqplib client on the app's vhost: publishes events as any producer would. */
  readonly amqp: AmqpProbe;
  /** A real HTTP server to subscribe as a webhook endpoint. */
  readonly receiver: WebhookReceiver;
}

/**
 * {@link useTestApp} plus what a test of event delivery needs around the app: a broker client to
 * publish with and a receiver to deliver to, opened before the tests and closed after. Call it
 * inside a `describe`.
 */
export function useDeliveryHarness<C extends PlatformConfig>(
  definition: AppDefinition<C>,
  overrides: Record<string, string> = {},
): DeliveryHarness {
  const setup = useTestApp(definition, overrides);
  let amqp: AmqpProbe | undefined;
  let receiver: WebhookReceiver | undefined;

  beforeAll(async () => {
    amqp = await AmqpProbe.connect(setup.environment.rabbitmqUrl);
    receiver = await WebhookReceiver.start();
  });

  afterAll(async () => {
    await amqp?.close();
    await receiver?.close();
  });

  const ready = <T>(value: T | undefined, name: string): T => {
    if (value === undefined) throw new Error(`useDeliveryHarness: ${name} is only available inside tests`);
    return value;
  };
  return {
    get environment() {
      return setup.environment;
    },
    get app() {
      return setup.app;
    },
    get api() {
      return setup.api;
    },
    get amqp() {
      return ready(amqp, 'amqp');
    },
    get receiver() {
      return ready(receiver, 'receiver');
    },
  };
}
