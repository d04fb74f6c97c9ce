import { randomBytes } from 'node:crypto';

/** `whsec_` + base64 of 32 random bytes (Standard Webhooks: 24 to 64 bytes). */
export const newWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

/** How long a rotated-out secret keeps signing, as a second signature (CONTRACT.md section 7). */
export const PREVIOUS_SECRET_GRACE_MS = 24 * 3_600_000;
