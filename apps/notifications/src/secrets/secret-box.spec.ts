import { randomBytes } from 'node:crypto';
import { decodeSecretsKey, keyIdOf, SecretBox, UnreadableSecretError } from './secret-box';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;

/** The same value with one character of its `index`-th part (split on ':') changed. */
function altered(sealed: string, index: number): string {
  const parts = sealed.split(':');
  const part = parts[index];
  parts[index] = (part[0] === 'A' ? 'B' : 'A') + part.slice(1);
  return parts.join(':');
}

describe('SecretBox', () => {
  const keyA = randomBytes(32);
  const keyB = randomBytes(32);

  it('round-trips a secret, with a fresh IV each time, naming its key and holding neither secret nor key', () => {
    const box = new SecretBox(keyA);
    const first = box.seal(SECRET);
    const second = box.seal(SECRET);
    expect(first).not.toBe(second);
    expect(first).toMatch(new RegExp(`^v1:${keyIdOf(keyA)}:[\\w-]{16}:[\\w-]{22}:[\\w-]+$`));
    for (const sealed of [first, second]) {
      expect(box.open(sealed)).toBe(SECRET);
      expect(sealed).not.toContain('whsec_');
      expect(sealed).not.toContain(SECRET.slice(6, 20));
      for (const encoding of ['base64', 'base64url', 'hex'] as const) {
        expect(sealed).not.toContain(keyA.toString(encoding).slice(0, 12));
      }
    }
    expect(box.sealedWithCurrentKey(first)).toBe(true);
  });

  it.each([
    ['the IV', 2],
    ['the auth tag', 3],
    ['the ciphertext', 4],
  ])('refuses a value with %s altered', (_part, index) => {
    const box = new SecretBox(keyA);
    expect(() => box.open(altered(box.seal(SECRET), index))).toThrow(/failed authentication/);
  });

  it('refuses a value cut short or with a part missing', () => {
    const box = new SecretBox(keyA);
    const sealed = box.seal(SECRET);
    expect(() => box.open(sealed.slice(0, -4))).toThrow(UnreadableSecretError);
    expect(() => box.open(sealed.split(':').slice(0, 4).join(':'))).toThrow(/malformed/);
  });

  it('refuses a value sealed with another key, naming that key', () => {
    const sealed = new SecretBox(keyA).seal(SECRET);
    expect(() => new SecretBox(keyB).open(sealed)).toThrow(
      new UnreadableSecretError(
        `sealed with key ${keyIdOf(keyA)}, which is neither WEBHOOK_SECRETS_KEY nor WEBHOOK_SECRETS_KEY_PREVIOUS`,
      ),
    );
  });

  it("refuses a value whose key id was changed to the reader's own key", () => {
    const sealed = new SecretBox(keyA).seal(SECRET);
    const relabelled = sealed.replace(keyIdOf(keyA), keyIdOf(keyB));
    expect(() => new SecretBox(keyB, keyA).open(relabelled)).toThrow(/failed authentication/);
  });

  it('opens what the previous key sealed, and seals only with the current one', () => {
    const sealedWithA = new SecretBox(keyA).seal(SECRET);
    const rotating = new SecretBox(keyB, keyA);
    expect(rotating.open(sealedWithA)).toBe(SECRET);
    expect(rotating.sealedWithCurrentKey(sealedWithA)).toBe(false);
    const resealed = rotating.resealed(sealedWithA);
    expect(resealed.startsWith(rotating.currentPrefix())).toBe(true);
    expect(new SecretBox(keyB).open(resealed)).toBe(SECRET);
    expect(rotating.resealed(resealed)).toBe(resealed);
  });

  it('reads a secret stored before encryption as it is, and counts it as not sealed', () => {
    const box = new SecretBox(keyA);
    expect(box.open(SECRET)).toBe(SECRET);
    expect(box.sealedWithCurrentKey(SECRET)).toBe(false);
    expect(box.open(box.resealed(SECRET))).toBe(SECRET);
  });
});

describe('decodeSecretsKey', () => {
  it('takes 32 bytes of base64, padded or not', () => {
    const key = randomBytes(32);
    expect(decodeSecretsKey(key.toString('base64'))).toEqual(key);
    expect(decodeSecretsKey(key.toString('base64').replace(/=$/, ''))).toEqual(key);
  });

  it.each([
    ['too short', randomBytes(31).toString('base64')],
    ['too long', randomBytes(33).toString('base64')],
    ['not base64', `${'!'.repeat(43)}=`],
    ['base64url', Buffer.alloc(32, 0xff).toString('base64url')],
    ['one with bits beyond 32 bytes in its last character', `${'A'.repeat(42)}B=`],
    ['hex', randomBytes(32).toString('hex')],
    ['empty', ''],
  ])('refuses a key: %s', (_why, text) => {
    expect(decodeSecretsKey(text)).toBeUndefined();
  });
});
