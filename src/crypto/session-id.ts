import { randomBytes } from 'node:crypto';

/** Bytes of randomness in a generated id: 256 bits, twice ASVS's 128-bit floor. */
const ID_BYTES = 32;
/** Accepted id shape: base64url, long enough to be ours, short enough to be harmless. */
const ID_SHAPE = /^[A-Za-z0-9_-]{22,128}$/;

/** Generates a session id: 32 bytes from `crypto.randomBytes`, base64url (43 characters). @publicApi */
export function generateSessionId(): string {
  return randomBytes(ID_BYTES).toString('base64url');
}

/** True when `id` has the shape of an id we could have issued; checked before any store call. @internal */
export function isPlausibleSessionId(id: unknown): id is string {
  return typeof id === 'string' && ID_SHAPE.test(id);
}
