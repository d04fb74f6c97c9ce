import * as ipaddr from 'ipaddr.js';
import { z } from 'zod';

/**
 * A CIDR (`10.0.0.0/8`, `fd00::/8`) or a single address, written plainly: ipaddr.js alone also
 * reads `0x7f.1` and other legacy IPv4 spellings, which proxy-addr (Express) may read otherwise.
 */
export function isProxyRange(value: string): boolean {
  const [address, prefix, ...rest] = value.split('/');
  if (rest.length > 0) return false;
  const kind = ipaddr.IPv4.isValidFourPartDecimal(address) ? 32 : ipaddr.IPv6.isValid(address) ? 128 : 0;
  if (kind === 0) return false;
  return prefix === undefined || (/^(0|[1-9][0-9]{0,2})$/.test(prefix) && Number(prefix) <= kind);
}

/**
 * TRUST_PROXY: the reverse proxies whose `X-Forwarded-For` names the client (CONTRACT.md section
 * 9). Unset or empty: none, and the socket's address is the client's.
 */
export const trustedProxies = () =>
  z
    .string()
    .optional()
    .transform((value) =>
      (value ?? '')
        .split(',')
        .map((range) => range.trim())
        .filter(Boolean),
    )
    .refine((ranges) => ranges.every(isProxyRange), {
      error: 'expected comma-separated CIDRs of reverse proxies, like 10.0.0.0/8,fd00::/8',
    });
