import { createHmac } from 'node:crypto';

const SECRET_PREFIX = 'whsec_';

/**
 * Standard Webhooks signatures: `v1,<base64 HMAC-SHA256>` of "<id>.<timestamp>.<body>" per
 * secret, space-separated while a rotated-out secret still signs. Byte for byte what the
 * specification's `standardwebhooks` library signs (the spec test checks it against the library
 * and the published vector), but with Node's native HMAC: the library's pure-JavaScript SHA-256
 * was a tenth of the sender's CPU time.
 */
export function signatureHeader(secrets: string[], id: string, timestamp: Date, body: string): string {
  const signed = `${id}.${Math.floor(timestamp.getTime() / 1000)}.${body}`;
  return secrets
    .map((secret) => {
      const key = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
      return `v1,${createHmac('sha256', key).update(signed).digest('base64')}`;
    })
    .join(' ');
}
