import { Module } from '@nestjs/common';
import { EndpointsModule } from '../endpoints/endpoints.module';
import { SecretResealer } from './secret-resealer';
import { WebhookSecrets } from './webhook-secrets';

/** Webhook signing secrets sealed at rest (WEBHOOK_SECRETS_KEY), and their re-sealing after a key rotation. */
@Module({
  imports: [EndpointsModule],
  providers: [WebhookSecrets, SecretResealer],
  exports: [WebhookSecrets],
})
export class SecretsModule {}
