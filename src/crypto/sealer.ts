import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { base64urlLength, decodeBase64url } from './base64url';

/** AES-256-GCM: 32-byte keys, 12-byte random nonces, 16-byte tags. */
const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const KID_BYTES = 4;
const VERSION = 1;
const HEADER_BYTES = 1 + KID_BYTES + NONCE_BYTES + TAG_BYTES;
const HEADER_TEXT = base64urlLength(HEADER_BYTES);

/** Result of {@link Sealer.open}: the plaintext, and whether an older key sealed it. */
export interface Opened {
  plaintext: string;
  /** Index of the key that opened the value; above 0 means "re-seal under the newest". */
  keyIndex: number;
}

/** @internal */
export function keyProblem(keys: readonly Buffer[], option = 'keys'): string | undefined {
  if (keys.length === 0) {
    return `${option} is missing or an empty list; at least one 32-byte key is required. Pass ${option}: [crypto.randomBytes(32)] (or its base64 text).`;
  }
  for (const [i, key] of keys.entries()) {
    if (key.length !== KEY_BYTES) {
      const which = keys.length > 1 ? `${option}[${i}]` : option;
      return `${which} is ${key.length} bytes; AES-256-GCM needs exactly ${KEY_BYTES}. Generate one with crypto.randomBytes(32).toString('base64').`;
    }
  }
  return undefined;
}

/**
 * Authenticated encryption with key rotation: the first key seals, every key opens. A sealed
 * value is base64url of `version | kid | nonce | tag | ciphertext`, where `kid` is a 4-byte hash
 * of the key, so opening picks the key directly instead of trying them all. A context string (the
 * namespace) is bound as additional authenticated data, so a value sealed for one namespace does
 * not open in another. The text is checked before it is decoded: anything but the base64url
 * alphabet, or a text `Buffer#toString('base64url')` would not have written, is refused.
 *
 * @publicApi
 */
export class Sealer {
  private readonly kids: Buffer[];

  constructor(private readonly keys: readonly Buffer[]) {
    this.kids = keys.map((k) => createHash('sha256').update(k).digest().subarray(0, KID_BYTES));
  }

  seal(plaintext: string, context: string): string {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys[0]!, nonce);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return Buffer.concat([
      Buffer.of(VERSION),
      this.kids[0]!,
      nonce,
      cipher.getAuthTag(),
      body,
    ]).toString('base64url');
  }

  /** Opens a sealed value; returns undefined for anything that does not authenticate. */
  open(sealed: string, context: string): Opened | undefined {
    // Shorter than a header: not worth decoding.
    const raw = sealed.length >= HEADER_TEXT ? decodeBase64url(sealed) : undefined;
    if (raw === undefined || raw[0] !== VERSION) {
      return undefined;
    }
    const kid = raw.subarray(1, 1 + KID_BYTES);
    const keyIndex = this.kids.findIndex((k) => k.equals(kid));
    if (keyIndex < 0) {
      return undefined;
    }
    const nonce = raw.subarray(1 + KID_BYTES, 1 + KID_BYTES + NONCE_BYTES);
    const tag = raw.subarray(1 + KID_BYTES + NONCE_BYTES, HEADER_BYTES);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.keys[keyIndex]!, nonce);
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(tag);
      const plaintext = Buffer.concat([
        decipher.update(raw.subarray(HEADER_BYTES)),
        decipher.final(),
      ]).toString('utf8');
      return { plaintext, keyIndex };
    } catch {
      return undefined;
    }
  }
}
