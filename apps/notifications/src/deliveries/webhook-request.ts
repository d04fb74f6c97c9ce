import { signatureHeader } from './webhook-signer';

const USER_AGENT = 'transaction-events-platform-webhooks/0.1';

/** What signing an attempt needs of a delivery and its endpoint. */
export interface SignableDelivery {
  event_id: string;
  replay: boolean;
  body: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: Date | null;
}

/**
 * The headers of one attempt (CONTRACT.md section 7): `webhook-id` is the event id on every
 * attempt, `webhook-timestamp` this attempt's time, and `webhook-signature` signed with the
 * current secret and, for 24 hours after a rotation, the previous one too. A replayed delivery
 * also carries `webhook-replay: true`; nothing else tells it from the first one.
 */
export function webhookHeaders(delivery: SignableDelivery, attemptedAt: Date): Record<string, string> {
  const secrets = [delivery.secret];
  if (delivery.previous_secret && (delivery.previous_secret_expires_at?.getTime() ?? 0) > attemptedAt.getTime()) {
    secrets.push(delivery.previous_secret);
  }
  return {
    'content-type': 'application/json',
    'user-agent': USER_AGENT,
    'webhook-id': delivery.event_id,
    'webhook-timestamp': String(Math.floor(attemptedAt.getTime() / 1000)),
    'webhook-signature': signatureHeader(secrets, delivery.event_id, attemptedAt, delivery.body),
    ...(delivery.replay ? { 'webhook-replay': 'true' } : {}),
  };
}
