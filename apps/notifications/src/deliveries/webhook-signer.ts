import { Webhook } from 'standardwebhooks';

/**
 * Standard Webhooks signatures, made with the specification's own library: `v1,<base64 HMAC>` of
 * "<id>.<timestamp>.<body>" per secret, space-separated while a rotated-out secret still signs.
 */
export function signatureHeader(secrets: string[], id: string, timestamp: Date, body: string): string {
  return secrets.map((secret) => new Webhook(secret).sign(id, timestamp, body)).join(' ');
}
