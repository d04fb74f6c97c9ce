/**
 * An exact decimal number, kept as its digits: amounts are strings of up to 18 digits (beyond a
 * double's 15 to 17), and a pattern may bound them with a fraction (`> 99.5`). Comparing digit
 * strings is exact at any size and costs time linear in the digits, where BigInt parsing of an
 * event's huge numeral could cost more, and a float would round `"9007199254740993"`.
 */
export interface Decimal {
  readonly negative: boolean;
  /** Integer digits without leading zeros (`''` for zero). */
  readonly integer: string;
  /** Fraction digits without trailing zeros. */
  readonly fraction: string;
}

/** A plain decimal numeral: no sign but `-`, no exponent, no spaces, digits on both sides of a dot. */
const DECIMAL_NUMERAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** What String(number) writes for a number too large or small for plain notation. */
const EXPONENT_NOTATION = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/;

function normalized(negative: boolean, integer: string, fraction: string): Decimal {
  let start = 0;
  while (start < integer.length && integer.charCodeAt(start) === 48) start++;
  let end = fraction.length;
  while (end > 0 && fraction.charCodeAt(end - 1) === 48) end--;
  const digits = { integer: integer.slice(start), fraction: fraction.slice(0, end) };
  // Zero has one form, so that -0 and 0.00 compare equal to 0.
  return { negative: negative && (digits.integer !== '' || digits.fraction !== ''), ...digits };
}

/** The decimal a string such as `"100000"`, `"-0.5"` or `"007"` writes, or undefined if it is not one. */
export function decimalFromString(text: string): Decimal | undefined {
  const match = DECIMAL_NUMERAL.exec(text);
  return match ? normalized(match[1] === '-', match[2], match[3] ?? '') : undefined;
}

/**
 * The decimal of a finite number, read from its shortest round-trip form (String(0.1) is "0.1":
 * what the JSON most likely said, not the double's binary expansion); undefined for NaN and ±∞.
 */
export function decimalFromNumber(value: number): Decimal | undefined {
  if (!Number.isFinite(value)) return undefined;
  const text = String(value);
  const scientific = EXPONENT_NOTATION.exec(text);
  if (!scientific) return decimalFromString(text);
  const digits = scientific[2] + (scientific[3] ?? '');
  // Where the decimal point falls in `digits` once the exponent is applied.
  const point = 1 + Number(scientific[4]);
  if (point <= 0) return normalized(scientific[1] === '-', '', '0'.repeat(-point) + digits);
  if (point >= digits.length) return normalized(scientific[1] === '-', digits + '0'.repeat(point - digits.length), '');
  return normalized(scientific[1] === '-', digits.slice(0, point), digits.slice(point));
}

const compareText = (a: string, b: string): number => (a === b ? 0 : a < b ? -1 : 1);

/** -1, 0 or 1 as `a` is less than, equal to or greater than `b`. */
export function compareDecimals(a: Decimal, b: Decimal): number {
  if (a.negative !== b.negative) return a.negative ? -1 : 1;
  // Without leading zeros, a longer integer part is a larger magnitude; then digit by digit.
  const magnitude =
    a.integer.length !== b.integer.length
      ? a.integer.length < b.integer.length
        ? -1
        : 1
      : compareText(a.integer, b.integer) || compareText(a.fraction, b.fraction);
  return a.negative ? -magnitude : magnitude;
}

let lastNumeral: string | number | undefined;
let lastDecimal: Decimal | undefined;

/**
 * The decimal of an event value that `numeric` compares (a number, or a string that is a decimal
 * numeral), or undefined. Fan-out checks one event against every subscription in turn, so the same
 * value comes back hundreds of times in a row: the last one is remembered.
 */
export function decimalOfValue(value: string | number): Decimal | undefined {
  if (value !== lastNumeral) {
    lastDecimal = typeof value === 'number' ? decimalFromNumber(value) : decimalFromString(value);
    lastNumeral = value;
  }
  return lastDecimal;
}
