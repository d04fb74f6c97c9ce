import * as ipaddr from 'ipaddr.js';

/**
 * The unit that per-address limits count: an IPv4 address (also when it arrives IPv4-mapped,
 * `::ffff:1.2.3.4`), or the /64 of an IPv6 address, since one host commonly holds a whole /64
 * and could otherwise take a fresh address for every request. `request.ip` is the socket's
 * address, or the client named by X-Forwarded-For when a TRUST_PROXY proxy sent it.
 */
export function clientAddressKey(ip: string | undefined): string {
  if (!ip || !ipaddr.isValid(ip)) return `unknown:${ip ?? ''}`;
  const address = ipaddr.process(ip);
  if (address.kind() === 'ipv4') return address.toString();
  return `${ipaddr.IPv6.networkAddressFromCIDR(`${address.toString()}/64`).toString()}/64`;
}
