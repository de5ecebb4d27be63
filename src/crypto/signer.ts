import {
  createHash,
  createHmac,
  createSecretKey,
  getHashes,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';
import { base64urlLength } from './base64url';

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

/**
 * HMAC hashes accepted for cookies: SHA-2 and SHA-3 with at least 256 bits. MD5 and SHA-1 are
 * refused even though HMAC with them is not broken yet, so no deployment starts on a hash that is
 * being retired everywhere else.
 */
const STRONG_HASHES: ReadonlySet<string> = new Set([
  'sha256',
  'sha384',
  'sha512',
  'sha3-256',
  'sha3-384',
  'sha3-512',
]);

/**
 * Describes what is wrong with an HMAC hash name, or returns undefined when it is accepted. The
 * caller adds the namespace.
 *
 * @internal
 */
export function hashAlgorithmProblem(algorithm: unknown): string | undefined {
  const name = String(algorithm);
  // Node accepts hash names in any case ('SHA512' works like 'sha512').
  if (!getHashes().some((h) => h.toLowerCase() === name.toLowerCase())) {
    return `hashAlgorithm "${name}" is not available in this Node.js build. Use one of crypto.getHashes(), e.g. 'sha512'.`;
  }
  if (!STRONG_HASHES.has(name.toLowerCase())) {
    return `hashAlgorithm "${name}" is not a strong MAC hash. Use 'sha512' (the default), 'sha384' or 'sha256'.`;
  }
  return undefined;
}

/** A lone surrogate becomes U+FFFD in UTF-8, so two such texts would share one MAC. */
const LONE_SURROGATE = /\p{Cs}/u;

/** Payloads longer than this are verified every time (a large cookie session). */
const MAX_REMEMBERED_PAYLOAD = 1024;
const DEFAULT_VERIFIED_CACHE_SIZE = 4096;

/** What a verified value left behind: the MAC text it carried, under which context and secret. */
interface Remembered {
  context: string;
  /** The MAC's base64url text, as bytes (ASCII). */
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
 * HMAC signing with key rotation: the first secret signs, every secret verifies.
 *
 * A signed value is `<payload>.<mac>`, the MAC in base64url. The MAC covers a context string (the
 * namespace) as well as the payload, so a value minted for one namespace never verifies in
 * another. Verifying compares the MAC text as sent with the canonical base64url text of the
 * expected MAC (`timingSafeEqual` over their UTF-8 bytes), so exactly one text carries a given
 * MAC: padding, stray or wider characters and non-zero unused bits never verify. The hash must be
 * one of SHA-256, -384, -512 or SHA3-256, -384, -512.
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
  /** Characters of a MAC in base64url: 86 for SHA-512. */
  private readonly macLength: number;

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
    const problem = hashAlgorithmProblem(algorithm);
    if (problem !== undefined) {
      throw new RangeError(problem);
    }
    this.macLength = base64urlLength(createHash(algorithm).digest().length);
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

  /**
   * Signs `payload` (already base64url or another cookie-safe text) under `context`. Throws a
   * RangeError for a payload with a lone surrogate, which {@link Signer.unsign} would refuse.
   */
  sign(payload: string, context: string): string {
    if (LONE_SURROGATE.test(payload)) {
      throw new RangeError(
        "The payload to sign has a lone surrogate (not well-formed UTF-16). Sign base64url text, e.g. Buffer.from(text).toString('base64url').",
      );
    }
    return `${payload}.${this.mac(0, payload, context)}`;
  }

  /** Verifies a signed value; returns undefined for anything that does not verify. */
  unsign(value: string, context: string): Unsigned | undefined {
    const dot = value.lastIndexOf('.');
    if (dot <= 0 || value.length - dot - 1 !== this.macLength) {
      return undefined;
    }
    // The MAC text's UTF-8 bytes: a character outside ASCII takes two or more bytes, so a text
    // holding one has the wrong length and never equals the (ASCII) expected text.
    const given = Buffer.from(value.slice(dot + 1), 'utf8');
    const payload = value.slice(0, dot);
    if (given.length !== this.macLength || LONE_SURROGATE.test(payload)) {
      return undefined;
    }
    const known = this.remembered.get(payload);
    if (known !== undefined && known.context === context && timingSafeEqual(known.mac, given)) {
      return { payload, secretIndex: known.secretIndex };
    }
    for (let i = 0; i < this.keys.length; i++) {
      const expected = Buffer.from(this.mac(i, payload, context), 'latin1');
      if (timingSafeEqual(expected, given)) {
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
    // Own copies: `payload` is a slice that keeps the whole Cookie header alive, and `mac` is a
    // view of Buffer's shared pool; kept as they are, each entry would pin far more than itself.
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

  /**
   * The MAC's base64url text. Digesting straight to text avoids a Buffer of its own per call,
   * which costs more than the HMAC of a short cookie.
   */
  private mac(keyIndex: number, payload: string, context: string): string {
    return createHmac(this.algorithm, this.keys[keyIndex]!)
      .update(`${context}\n${payload}`)
      .digest('base64url');
  }
}

/** HMAC block sizes of the SHA-2 algorithms; SHA-3 keys are left to HMAC itself. */
const BLOCK_BYTES: Record<string, number | undefined> = {
  sha256: 64,
  sha384: 128,
  sha512: 128,
};
