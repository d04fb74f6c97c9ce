import { compareDecimals, decimalFromNumber, decimalFromString } from './decimal';

describe('decimals', () => {
  it.each([
    ['100000', { negative: false, integer: '100000', fraction: '' }],
    ['007', { negative: false, integer: '7', fraction: '' }],
    ['-0.500', { negative: true, integer: '', fraction: '5' }],
    ['-0', { negative: false, integer: '', fraction: '' }],
    ['0.000', { negative: false, integer: '', fraction: '' }],
  ])('reads %j', (text, expected) => {
    expect(decimalFromString(text)).toEqual(expected);
  });

  it.each(['', '-', '+1', '1.', '.5', '1e3', ' 1', '1 ', '0x10', '1_000', '١٢'])('refuses %j', (text) => {
    expect(decimalFromString(text)).toBeUndefined();
  });

  it.each([
    [1e21, '1000000000000000000000', ''],
    [1.5e-7, '', '00000015'],
    [-2.5e-7, '', '00000025'],
    [123.456, '123', '456'],
    [-0, '', ''],
    [Number('9007199254740993'), '9007199254740992', ''],
  ])('reads the number %p from its shortest form', (value, integer, fraction) => {
    expect(decimalFromNumber(value)).toMatchObject({ integer, fraction });
  });

  it.each([NaN, Infinity, -Infinity])('has no decimal for %p', (value) => {
    expect(decimalFromNumber(value)).toBeUndefined();
  });

  it('orders decimals exactly, beyond what a double tells apart', () => {
    const sorted = [
      '-100',
      '-99.99',
      '-0.5',
      '0',
      '0.05',
      '0.5',
      '0.51',
      '9',
      '10',
      '9007199254740992',
      '9007199254740993',
    ];
    const decimals = sorted.map((text) => decimalFromString(text)!);
    const shuffled = [...decimals].reverse().sort(compareDecimals);
    expect(shuffled).toEqual(decimals);
    expect(compareDecimals(decimalFromString('1.50')!, decimalFromNumber(1.5)!)).toBe(0);
  });
});
