import { forbiddenAddressReason } from './forbidden-address';

describe('forbiddenAddressReason', () => {
  it.each([
    '127.0.0.1',
    '127.1.2.3',
    '10.0.0.1',
    '172.16.5.4',
    '192.168.1.1',
    '100.64.0.1',
    '169.254.169.254',
    '0.0.0.0',
    '0.1.2.3',
    '::1',
    '::',
    'fe80::1',
    'fc00::1',
    'fd00:ec2::254',
    '::ffff:127.0.0.1',
    '::ffff:10.1.2.3',
    '::ffff:169.254.169.254',
    '::ffff:7f00:1',
    '::127.0.0.1',
    '::7f00:1',
    '::a01:203',
    '::a9fe:a9fe',
    '::10.1.2.3',
    '::192.168.0.10',
    '::169.254.169.254',
    '::100.64.0.1',
    '::0.0.0.2',
    '0:0:0:0:0:0:127.0.0.1',
    '224.0.0.1',
    '255.255.255.255',
  ])('refuses %s', (address) => {
    expect(forbiddenAddressReason(address)).toEqual(expect.any(String));
  });

  it.each([
    '93.184.216.34',
    '8.8.8.8',
    '2606:2800:220:1:248:1893:25c8:1946',
    '::ffff:93.184.216.34',
    '::93.184.216.34',
  ])('allows %s', (address) => {
    expect(forbiddenAddressReason(address)).toBeUndefined();
  });
});

describe('forbiddenAddressReason on IPv4 carried in IPv6', () => {
  it.each([
    ['::127.0.0.1', 'loopback'],
    // How the WHATWG URL parser writes http://[::127.0.0.1]/ (url.hostname is [::7f00:1]).
    ['::7f00:1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::10.1.2.3', 'private'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
  ])('names the range %s is judged by', (address, range) => {
    expect(forbiddenAddressReason(address)).toBe(`${address} is a ${range} address`);
  });
});
