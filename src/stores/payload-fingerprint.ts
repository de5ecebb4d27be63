import { createHash } from 'node:crypto';

/** Lowercase hex SHA-1 of the payload text, as Redis's `redis.sha1hex` computes it: a change detector, not a MAC. */
export function payloadFingerprint(text: string): string {
  return createHash('sha1').update(text, 'utf8').digest('hex');
}
