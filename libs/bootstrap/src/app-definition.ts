import type { PlatformConfig } from '@app/config';
import type { EventSchemaCheck } from '@app/contracts';
import type { DynamicModule } from '@nestjs/common';
import type { z } from 'zod';

/** What makes one app of the platform: its name, its env schema and its root module. */
export interface AppDefinition<C extends PlatformConfig = PlatformConfig> {
  name: string;
  title: string;
  description: string;
  envSchema: z.ZodType<C, Record<string, unknown>>;
  rootModule: (config: C) => DynamicModule;
  /**
   * What a consumed event must match before any handler sees it. Default: the platform's event
   * catalogue; only test fixtures with events of their own set another.
   */
  eventSchemas?: EventSchemaCheck;
}
