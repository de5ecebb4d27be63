import {
  createHash,
  createHmac,
  createSecretKey,
  getHashes,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';

/** Options of a {@link Signer} beyond its keys. @publicApi */
export interface SignerOptions {
  /**
   * How many verified values the signer remembers (default 4096; 0 remembers none). A value seen
   * again (the same session cookie on the user's next request) is then checked with one
   * `timingSafeEqual` against the MAC computed the first time, instead of a new HMAC. Only
   * values that verified are remembered, and only payloads up to 1024 characters, so memory
   * stays under a few megabytes whatever clients send.
   */
  verifiedCacheSize?: number;
}

/** Payloads longer than this are verified every time (a large cookie session). */
const MAX_REMEMBERED_PAYLOAD = 1024;
const DEFAULT_VERIFIED_CACHE_SIZE = 4096;

/** What a verified value left behind: the MAC it carried, under which context and secret. */
interface Remembered {
  context: string;
  mac: Buffer;
  secretIndex: number;
}

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
 * Verified values are remembered (see {@link SignerOptions.verifiedCacheSize}): a returning
 * cookie is compared with `timingSafeEqual` against the MAC that verified it before, which gives
 * the same answer as recomputing it, since the keys never change. A MAC that differs from the
 * remembered one (tampered, or re-signed under the newest secret) gets the full check.
 *
 * @publicApi
 */
export class Signer {
  private readonly keys: KeyObject[];
  /** Verified payloads, oldest first (a Map keeps insertion order), at most `cacheSize`. */
  private readonly remembered = new Map<string, Remembered>();
  private readonly cacheSize: number;

  constructor(
    secrets: readonly Buffer[],
    private readonly algorithm = 'sha512',
    salt = '',
    options: SignerOptions = {},
  ) {
    const cacheSize = options.verifiedCacheSize ?? DEFAULT_VERIFIED_CACHE_SIZE;
    if (!Number.isInteger(cacheSize) || cacheSize < 0) {
      throw new RangeError(
        `verifiedCacheSize must be a whole number of 0 or more (0 turns the cache off), not ${String(cacheSize)}.`,
      );
    }
    this.cacheSize = cacheSize;
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
    const known = this.remembered.get(payload);
    if (
      known !== undefined &&
      known.context === context &&
      known.mac.length === given.length &&
      timingSafeEqual(known.mac, given)
    ) {
      return { payload, secretIndex: known.secretIndex };
    }
    for (let i = 0; i < this.keys.length; i++) {
      const expected = Buffer.from(this.mac(i, payload, context), 'latin1');
      if (expected.length === given.length && timingSafeEqual(expected, given)) {
        this.remember(payload, { context, mac: expected, secretIndex: i });
        return { payload, secretIndex: i };
      }
    }
    return undefined;
  }

  private remember(payload: string, entry: Remembered): void {
    if (this.cacheSize === 0 || payload.length > MAX_REMEMBERED_PAYLOAD) {
      return;
    }
    // Own copies: `payload` is a slice that keeps the whole Cookie header alive, and `mac` sits
    // in Buffer's shared 8 KB pool; kept as they are, each entry would pin far more than itself.
    const key = Buffer.from(payload, 'utf8').toString('utf8');
    if (key !== payload) {
      return;
    }
    const mac = Buffer.allocUnsafeSlow(entry.mac.length);
    entry.mac.copy(mac);
    this.remembered.delete(key);
    if (this.remembered.size >= this.cacheSize) {
      this.remembered.delete(this.remembered.keys().next().value!);
    }
    this.remembered.set(key, { context: entry.context, mac, secretIndex: entry.secretIndex });
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
