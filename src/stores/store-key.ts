import { hash } from 'node:crypto';

/**
 * The store key of a session id: base64url SHA-256 of the id (43 characters of
 * `[A-Za-z0-9_-]`). A raw id never reaches Redis or the disk, so a leaked key list or a
 * directory listing cannot be replayed as cookies, and keys are safe as file names.
 *
 * @publicApi
 */
export function storeKey(sessionId: string): string {
  return hash('sha256', sessionId, 'base64url');
}

/** Shape of a key produced by {@link storeKey}; stores that use keys as paths check it. @internal */
export const STORE_KEY_SHAPE = /^[A-Za-z0-9_-]{43}$/;
