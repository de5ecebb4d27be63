/**
 * TTL rules shared by the stores: a TTL is a finite number of seconds, and a TTL of zero or less
 * means "expired now", which every store turns into a delete (never a zero or negative expiry,
 * connect-redis #321).
 *
 * @internal
 */
export function assertTtl(ttl: number): void {
  if (typeof ttl !== 'number' || !Number.isFinite(ttl)) {
    throw new RangeError(
      `Store TTL ${String(ttl)} is not a finite number of seconds. Pass a number, or no ttl for entries that never expire.`,
    );
  }
}

/** Epoch milliseconds at which a TTL (seconds) set now runs out; null when there is none. @internal */
export function expiryOf(ttl: number | undefined, now = Date.now()): number | null {
  return ttl === undefined ? null : now + Math.round(ttl * 1000);
}

/** Whether an expiry (epoch ms or null) has passed. @internal */
export function isExpired(expiresAt: number | null, now = Date.now()): boolean {
  return expiresAt !== null && expiresAt <= now;
}
