import ipaddr from 'ipaddr.js';

/**
 * Address ranges a webhook must never reach unless WEBHOOK_ALLOW_PRIVATE_TARGETS=true: the
 * server's own loopback and private networks, shared address space, link-local (which includes
 * cloud metadata at 169.254.169.254), unspecified, unique-local, and everything else that is not
 * publicly routable. IPv4-mapped (`::ffff:a.b.c.d`) and IPv4-compatible (`::a.b.c.d`, deprecated by
 * RFC 4291 but still parsed by every URL library) IPv6 forms are judged as the IPv4 address they
 * carry: `http://[::127.0.0.1]/` must not reach the loopback that `http://127.0.0.1/` may not.
 * (ipaddr.js reads `::127.0.0.1` as mapped, but the URL parser hands over `::7f00:1`, which it
 * calls plain unicast.)
 */
const ALLOWED_RANGES = new Set(['unicast']);

export function forbiddenAddressReason(address: string): string | undefined {
  if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
  const parsed = ipaddr.parse(address);
  const range = (parsed.kind() === 'ipv6' ? (embeddedIPv4(parsed as ipaddr.IPv6) ?? parsed) : parsed).range();
  // fd00:ec2::254 (AWS IMDS over IPv6) is unique-local, so it is covered by the range check.
  return ALLOWED_RANGES.has(range) ? undefined : `${address} is a ${range} address`;
}

/**
 * The IPv4 address an IPv4-mapped or IPv4-compatible IPv6 address carries in its last 32 bits.
 * `::` and `::1` have the compatible form too, but their own ranges (unspecified, loopback) say more.
 */
function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const [a, b, c, d, e, f, high, low] = address.parts;
  const upperZero = a === 0 && b === 0 && c === 0 && d === 0 && e === 0;
  const mapped = upperZero && f === 0xffff;
  const compatible = upperZero && f === 0 && !(high === 0 && low <= 1);
  // Only the mapped form has ipaddr's toIPv4Address(); both carry the IPv4 address the same way.
  return mapped || compatible ? new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]) : undefined;
}
