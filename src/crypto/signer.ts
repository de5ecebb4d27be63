import {
  createHash,
  createHmac,
  createSecretKey,
  getHashes,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';

/** Result of {@link Signer.unsign}: the payload, and whether an older secret verified it. */
export interface Unsigned {
  payload: string;
  /** Index of the secret that verified the value; above 0 means "re-issue under the newest". */
  secretIndex: number;
}

/**
 * HMAC signing with key rotation: the first secret signs, every secret verifies (R31).
 *
 * A signed value is `<payload>.<mac>`, both base64url. The MAC covers a context string (the
 * namespace) as well as the payload, so a value minted for one namespace never verifies in
 * another (R10). MACs are compared with `timingSafeEqual` over the full base64url text, which also
 * rejects truncated, padded or extended MACs that a lenient base64 decoder would accept (R28).
 *
 * @publicApi
 */
export class Signer {
  private readonly keys: KeyObject[];

  constructor(
    secrets: readonly Buffer[],
    private readonly algorithm = 'sha512',
    salt = '',
  ) {
    // Node accepts hash names in any case ('SHA512' works like 'sha512').
    if (!getHashes().some((h) => h.toLowerCase() === algorithm.toLowerCase())) {
      throw new RangeError(`Hash algorithm "${algorithm}" is not available in this Node.js build.`);
    }
    const saltBytes = Buffer.from(salt, 'utf8');
    // Pyramid keys its HMAC with salt + secret, so one secret can serve several purposes.
    // HMAC hashes a key longer than the hash's block first (RFC 2104); doing it once here gives
    // the same MACs without that work on every call.
    const block = BLOCK_BYTES[algorithm.toLowerCase()];
    this.keys = secrets.map((s) => {
      const k = Buffer.concat([saltBytes, s]);
      return createSecretKey(
        block !== undefined && k.length > block ? createHash(algorithm).update(k).digest() : k,
      );
    });
  }

  /** Signs `payload` (already base64url or another cookie-safe text) under `context`. */
  sign(payload: string, context: string): string {
    return `${payload}.${this.mac(0, payload, context)}`;
  }

  /** Verifies a signed value; returns undefined for anything that does not verify. */
  unsign(value: string, context: string): Unsigned | undefined {
    const dot = value.lastIndexOf('.');
    if (dot <= 0) {
      return undefined;
    }
    const payload = value.slice(0, dot);
    const given = Buffer.from(value.slice(dot + 1), 'latin1');
    for (let i = 0; i < this.keys.length; i++) {
      const expected = Buffer.from(this.mac(i, payload, context), 'latin1');
      if (expected.length === given.length && timingSafeEqual(expected, given)) {
        return { payload, secretIndex: i };
      }
    }
    return undefined;
  }

  private mac(keyIndex: number, payload: string, context: string): string {
    return createHmac(this.algorithm, this.keys[keyIndex]!)
      .update(`${context}\n${payload}`)
      .digest('base64url');
  }
}

/** HMAC block sizes of the common algorithms; others are left to HMAC itself. */
const BLOCK_BYTES: Record<string, number | undefined> = {
  sha1: 64,
  sha224: 64,
  sha256: 64,
  sha384: 128,
  sha512: 128,
};
