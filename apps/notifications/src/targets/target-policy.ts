import { COMMON_ERRORS, DomainError } from '@app/errors';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { forbiddenAddressReason } from './forbidden-address';

export interface TargetPolicy {
  allowPrivateTargets: boolean;
  allowHttp: boolean;
}

/**
 * Checks a webhook URL when it is created or changed: scheme, and every address its host
 * resolves to now. Delivery checks again at connect time (see webhookLookup), since DNS can change.
 */
export async function assertAllowedTarget(rawUrl: string, policy: TargetPolicy): Promise<void> {
  const refuse = (message: string): never => {
    throw new DomainError(COMMON_ERRORS['validation-failed'], message, [{ field: 'url', message }]);
  };
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return refuse('url must be an absolute http(s) URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') refuse('url must use https (or http where allowed)');
  if (url.protocol === 'http:' && !policy.allowHttp) refuse('url must use https (WEBHOOK_ALLOW_HTTP=false)');
  if (url.username || url.password) refuse('url must not carry credentials');
  if (policy.allowPrivateTargets) return;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);
  } catch {
    return refuse(`url host ${host} does not resolve`);
  }
  for (const address of addresses) {
    const reason = forbiddenAddressReason(address);
    if (reason) refuse(`url must not point at a private or internal address (${reason})`);
  }
}
