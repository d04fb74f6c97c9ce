import ipaddr from 'ipaddr.js';

/**
 * Address ranges a webhook must never reach unless WEBHOOK_ALLOW_PRIVATE_TARGETS=true: the
 * server's own loopback and private networks, shared address space, link-local (which includes
 * cloud metadata at 169.254.169.254), unspecified, unique-local, and everything else that is not
 * publicly routable. IPv4-mapped IPv6 forms are judged as the IPv4 address they carry.
 */
const ALLOWED_RANGES = new Set(['unicast']);

export function forbiddenAddressReason(address: string): string | undefined {
  if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  const range = parsed.range();
  // fd00:ec2::254 (AWS IMDS over IPv6) is unique-local, so it is covered by the range check.
  return ALLOWED_RANGES.has(range) ? undefined : `${address} is a ${range} address`;
}
