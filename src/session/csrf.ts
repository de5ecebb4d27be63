import { randomBytes, timingSafeEqual } from 'node:crypto';

/** The CSRF token lives under `_csrft_`, as in Pyramid and pyramid_session_redis. */
export const CSRF_KEY = '_csrft_';

/** @internal */
export function newCsrfToken(data: Record<string, unknown>): string {
  const token = randomBytes(32).toString('hex');
  data[CSRF_KEY] = token;
  return token;
}

/** @internal */
export function getCsrfToken(data: Record<string, unknown>, markDirty: () => void): string {
  const token = data[CSRF_KEY];
  if (typeof token === 'string' && token.length > 0) {
    return token;
  }
  markDirty();
  return newCsrfToken(data);
}

/**
 * Constant-time comparison of a submitted token with the expected one. Different lengths are
 * rejected without comparing, which only reveals the length (always 64 for our tokens).
 *
 * @publicApi
 */
export function csrfTokensMatch(expected: string | undefined, submitted: unknown): boolean {
  if (typeof expected !== 'string' || typeof submitted !== 'string' || expected.length === 0) {
    return false;
  }
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(submitted, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
