import dns from 'node:dns';
import type { LookupFunction } from 'node:net';
import { forbiddenAddressReason } from './forbidden-address';

/**
 * A DNS lookup for the HTTP client's connections that refuses forbidden addresses: the address
 * checked is the one actually connected to, so a host that resolved to a public address when the
 * endpoint was created and to 127.0.0.1 now (DNS rebinding) is still refused.
 */
export const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '', 0);
    const list = addresses;
    for (const { address } of list) {
      const reason = forbiddenAddressReason(address);
      if (reason) {
        const refused = Object.assign(new Error(`refused to connect to ${hostname}: ${reason}`), {
          code: 'EFORBIDDENTARGET',
        });
        return callback(refused, '', 0);
      }
    }
    if (options.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
    callback(null, list[0].address, list[0].family);
  });
};
