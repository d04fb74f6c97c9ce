import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook secrets are stored sealed (AES-256-GCM, see SecretBox), about 120 characters, more than
 * the 100 a plain `whsec_` secret needed. The sealing itself is not done here: a migration has no
 * key. SecretResealer seals the secrets stored in the clear once the app runs.
 */
export class SealedWebhookSecrets1795720500000 implements MigrationInterface {
  name = 'SealedWebhookSecrets1795720500000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      'ALTER TABLE notifications.endpoints ALTER COLUMN secret TYPE text, ALTER COLUMN previous_secret TYPE text',
    );
  }

  async down(): Promise<void> {
    // Sealed secrets do not fit the old columns, and opening them here would need the key.
    throw new Error('SealedWebhookSecrets cannot be reverted: the stored secrets are sealed');
  }
}
