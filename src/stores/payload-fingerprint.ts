import { hash } from 'node:crypto';

/**
 * The fingerprint {@link SessionStore.replace} compares: the lowercase hex SHA-1 of the payload's
 * UTF-8 bytes. SHA-1 is what Redis Lua offers (`redis.sha1hex`), so a Redis store can compare on
 * the server in one atomic script; it detects a change made by our own code and is not a MAC, so
 * it proves nothing about who wrote the payload.
 *
 * @example
 * ```ts
 * const loaded = await store.get(key);
 * await store.replace!(key, next, { ttl, expected: payloadFingerprint(loaded!) });
 * ```
 * @publicApi
 */
export function payloadFingerprint(text: string): string {
  return hash('sha1', text, 'hex');
}
