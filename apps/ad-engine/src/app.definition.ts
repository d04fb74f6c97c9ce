import type { AppDefinition } from '@app/bootstrap';
import { AdEngineAppModule } from './app.module';
import { AdEngineConfig, adEngineEnvSchema } from './config';

export const appDefinition: AppDefinition<AdEngineConfig> = {
  name: 'ad-engine',
  title: 'Ad engine API',
  description:
    "Campaigns that activate and pause as the advertiser's known funds cross their thresholds, learned from transaction events.",
  envSchema: adEngineEnvSchema,
  rootModule: (config) => AdEngineAppModule.register(config),
};
