import { createHmac, randomBytes } from 'node:crypto';

/** A key drawn once per process: fingerprints cannot be matched across restarts or guessed. */
const PROCESS_KEY = randomBytes(32);

/**
 * A short keyed fingerprint of a session id or cookie value (HMAC-SHA-256 under a per-process
 * random key): two records of the same session show the same fingerprint, and the value
 * itself cannot be recovered from it.
 *
 * @internal
 */
export function fingerprint(value: string): string {
  return createHmac('sha256', PROCESS_KEY).update(value).digest('base64url').slice(0, 16);
}
