import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Encryption at rest of webhook signing secrets (CONTRACT.md section 9): AES-256-GCM, a random
 * 12-byte IV per value, the auth tag kept, in a versioned text form that names the key that
 * sealed it: `v1:<keyId>:<iv>:<tag>:<ciphertext>` (base64url parts). The key id is a short hash of
 * the key, never its bytes, so a reader knows which key to use and a row sealed with a key this
 * process does not have is named as such instead of failing as "tampered".
 */

const VERSION = 'v1';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const BASE64_KEY = /^[A-Za-z0-9+/]{43}=?$/;

/** The key as configured (32 bytes, base64, e.g. `openssl rand -base64 32`); undefined if malformed. */
export function decodeSecretsKey(text: string): Buffer | undefined {
  if (!BASE64_KEY.test(text)) return undefined;
  const key = Buffer.from(text, 'base64');
  // Round trip: the last character must not carry bits beyond the 32 bytes.
  if (key.length !== KEY_BYTES || key.toString('base64').replace(/=$/, '') !== text.replace(/=$/, '')) {
    return undefined;
  }
  return key;
}

/** A short name for a key, derived from it one-way: stored beside each value it seals. */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update('webhook-secrets-key-id:').update(key).digest('base64url').slice(0, 8);
}

/** A value that could not be opened: sealed with a key we lack, or altered. */
export class UnreadableSecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreadableSecretError';
  }
}

export class SecretBox {
  readonly keyId: string;
  private readonly keys = new Map<string, Buffer>();

  /** Seals with `current`; opens what `current` or `previous` sealed. */
  constructor(current: Buffer, previous?: Buffer) {
    this.keyId = keyIdOf(current);
    if (previous) this.keys.set(keyIdOf(previous), previous);
    this.keys.set(this.keyId, current);
  }

  seal(plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.keyId) as Buffer, iv);
    // The version and key id are authenticated too: neither can be swapped unnoticed.
    cipher.setAAD(Buffer.from(`${VERSION}:${this.keyId}`));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, this.keyId, iv, cipher.getAuthTag(), ciphertext]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join(':');
  }

  /**
   * The secret a stored value holds. A value not in the sealed form is a secret stored before
   * encryption, returned as it is until the re-sealing task has sealed it (see SecretResealer).
   */
  open(stored: string): string {
    if (!isSealed(stored)) return stored;
    const parts = stored.split(':');
    const [, keyId, iv, tag, ciphertext] = parts;
    const key = this.keys.get(keyId);
    if (!key) {
      throw new UnreadableSecretError(
        `sealed with key ${keyId}, which is neither WEBHOOK_SECRETS_KEY nor WEBHOOK_SECRETS_KEY_PREVIOUS`,
      );
    }
    const ivBytes = Buffer.from(iv ?? '', 'base64url');
    const tagBytes = Buffer.from(tag ?? '', 'base64url');
    if (parts.length !== 5 || ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) {
      throw new UnreadableSecretError(`sealed value of key ${keyId} is malformed`);
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, ivBytes);
      decipher.setAAD(Buffer.from(`${VERSION}:${keyId}`));
      decipher.setAuthTag(tagBytes);
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new UnreadableSecretError(`sealed value of key ${keyId} failed authentication (altered or corrupt)`);
    }
  }

  /** The stored value sealed with the current key (itself if it already is). */
  resealed(stored: string): string {
    return this.sealedWithCurrentKey(stored) ? stored : this.seal(this.open(stored));
  }

  /** Whether a stored value is sealed with the current key (nothing left to re-seal). */
  sealedWithCurrentKey(stored: string): boolean {
    return stored.startsWith(this.currentPrefix());
  }

  /** What every value sealed with the current key starts with (for queries). */
  currentPrefix(): string {
    return `${VERSION}:${this.keyId}:`;
  }
}

function isSealed(stored: string): boolean {
  return stored.startsWith(`${VERSION}:`);
}
