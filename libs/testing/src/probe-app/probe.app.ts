import type { EventSchemaCheck } from '@app/contracts';
import { AppDefinition, PlatformModule } from '@app/bootstrap';
import { baseEnvSchema, PlatformConfig, portSchema } from '@app/config';
import { DynamicModule, Module } from '@nestjs/common';
import { PROBE_EXCHANGE } from './probe.constants';
import { ProbeConsumer } from './probe.consumer';
import { ProbeController } from './probe.controller';
import { ProbeSchema1700000000000 } from './probe.migration';

@Module({})
class ProbeModule {
  static register(config: PlatformConfig): DynamicModule {
    return {
      module: ProbeModule,
      imports: [
        PlatformModule.forRoot({
          appName: 'probe-app',
          config,
          persistence: { schema: 'probe', entities: [], migrations: [ProbeSchema1700000000000] },
          messaging: { exchange: PROBE_EXCHANGE, source: '/probe-app' },
        }),
      ],
      controllers: [ProbeController, ProbeConsumer],
    };
  }
}

/**
 * The probe's own events: any `probe.*` type whose data is an object, unless it says
 * `"forged": true` (how tests send an event that breaks its schema).
 */
export const probeEventSchemas: EventSchemaCheck = {
  check: ({ type, data }) => {
    if (!type.startsWith('probe.')) return { reason: 'schema-violation', detail: `no schema for event type "${type}"` };
    if (typeof data !== 'object' || data === null || (data as { forged?: unknown }).forged === true) {
      return { reason: 'schema-violation', detail: 'data breaks the probe schema' };
    }
    return undefined;
  },
};

/**
 * A minimal app on the platform's shared pieces, for testing those pieces (HTTP layer, transport,
 * health) without depending on any real app's features.
 */
export const probeAppDefinition: AppDefinition = {
  name: 'probe-app',
  title: 'Probe app',
  description: 'Test fixture',
  envSchema: baseEnvSchema.extend({ PORT: portSchema(0) }),
  rootModule: (config) => ProbeModule.register(config),
  eventSchemas: probeEventSchemas,
};
