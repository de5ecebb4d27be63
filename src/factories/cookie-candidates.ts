import {
  InvalidSessionDeserialization,
  InvalidSessionSignature,
  type InvalidSession,
} from '../session/invalid-session.errors';
import type { LoadContext } from './session-factory.interface';

/**
 * How many values of one cookie name a factory tries. Browsers send one per matching Path and
 * Domain, so two is common (one planted by a sibling subdomain); more is an attack.
 *
 * @internal
 */
export const MAX_COOKIE_CANDIDATES = 4;

/** Session cookie values are base64url text and dots: visible ASCII only. */
const COOKIE_TEXT = /^[\u0021-\u007e]+$/;

/** The outcome of {@link pickCookie}. @internal */
export type CookiePick<T> =
  | { readonly kind: 'absent' }
  | { readonly kind: 'refused'; readonly reason: 'not-a-string' | 'not-authentic' }
  | { readonly kind: 'accepted'; readonly value: T };

const ABSENT = { kind: 'absent' } as const;
const NOT_A_STRING = { kind: 'refused', reason: 'not-a-string' } as const;
const NOT_AUTHENTIC = { kind: 'refused', reason: 'not-authentic' } as const;

/**
 * Every value the request sent for `name`: `ctx.cookieValues` when the context has it, else the
 * single value of `ctx.cookies` (a context built by hand).
 *
 * @internal
 */
export function cookieCandidates(ctx: LoadContext, name: string): readonly unknown[] {
  if (ctx.cookieValues !== undefined) {
    return ctx.cookieValues(name);
  }
  const value: unknown = ctx.cookies[name];
  return value === undefined ? [] : [value];
}

/**
 * Tries each candidate in order and returns the first that `open` accepts. Empty values count as
 * absent; values that are not strings (another parser's objects) and strings outside visible
 * ASCII never reach `open`: no value we issue contains them, and a decoder reading text as
 * latin1 would fold a character above U+00FF onto one it accepts.
 *
 * @internal
 */
export function pickCookie<T>(
  candidates: readonly unknown[],
  open: (value: string) => T | undefined,
): CookiePick<T> {
  let tried = 0;
  let strings = 0;
  for (const candidate of candidates) {
    if (candidate === undefined || candidate === '') {
      continue;
    }
    if (++tried > MAX_COOKIE_CANDIDATES) {
      break;
    }
    if (typeof candidate !== 'string') {
      continue;
    }
    strings++;
    const opened = COOKIE_TEXT.test(candidate) ? open(candidate) : undefined;
    if (opened !== undefined) {
      return { kind: 'accepted', value: opened };
    }
  }
  if (tried === 0) {
    return ABSENT;
  }
  return strings === 0 ? NOT_A_STRING : NOT_AUTHENTIC;
}

/** The invalid-session reason of a refused pick. @internal */
export function refusedCookieReason(
  namespace: string,
  reason: 'not-a-string' | 'not-authentic',
): InvalidSession {
  return reason === 'not-a-string'
    ? new InvalidSessionDeserialization(
        namespace,
        'the session cookie is not a string (another cookie parser turned it into an object); it was ignored.',
      )
    : new InvalidSessionSignature(namespace, 'the session cookie signature did not verify.');
}
