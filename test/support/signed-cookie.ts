import { Signer } from '../../src/crypto/signer';

/** The salt SignedCookieSessionFactory uses when none is configured. */
export const DEFAULT_SIGNED_SALT = 'nestjs-session-multi.signed.';

export interface MintOptions {
  secret: string | Buffer;
  namespace: string;
  /** Epoch seconds of the last renewal (the idle timeout counts from it). @default now */
  renewed?: number;
  /** Epoch seconds of creation. @default renewed */
  created?: number;
  data?: Record<string, unknown>;
  hashAlgorithm?: string;
  salt?: string;
  /** The exact text to sign instead of `[renewed, created, data]` as JSON. */
  rawPayload?: string;
}

/**
 * A signed-cookie value built directly with Signer, the way SignedCookieSessionFactory builds it
 * (`base64url(JSON [renewed, created, data])` signed under the namespace). Lets a test replay an
 * old cookie or sign a payload the factory would never produce.
 */
export function mintSignedCookie(options: MintOptions): string {
  const renewed = options.renewed ?? Math.floor(Date.now() / 1000);
  const created = options.created ?? renewed;
  const json = options.rawPayload ?? JSON.stringify([renewed, created, options.data ?? {}]);
  const secret = Buffer.isBuffer(options.secret) ? options.secret : Buffer.from(options.secret);
  const signer = new Signer(
    [secret],
    options.hashAlgorithm ?? 'sha512',
    options.salt ?? DEFAULT_SIGNED_SALT,
  );
  return signer.sign(Buffer.from(json, 'utf8').toString('base64url'), options.namespace);
}

/** Decodes the (unverified) payload of a signed-cookie value, to inspect what the server wrote. */
export function decodeSignedCookie(value: string): unknown {
  const payload = value.slice(0, value.lastIndexOf('.'));
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
}
