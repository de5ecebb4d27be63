import { parse } from 'cookie';
import type { SessionRequest, SessionResponse } from '../factories/session-factory.interface';

/**
 * The request's cookies: `req.cookies` when cookie-parser already ran, else the Cookie header,
 * parsed once per request by the container.
 *
 * @internal
 */
export function readCookies(req: SessionRequest): Record<string, string | undefined> {
  if (req.cookies !== undefined && typeof req.cookies === 'object') {
    return req.cookies;
  }
  const header = req.headers.cookie;
  return header ? parse(header) : {};
}

/** Appends one Set-Cookie value, keeping any already set by the application. @internal */
export function appendSetCookie(res: SessionResponse, serialized: string): void {
  const current = res.getHeader('set-cookie');
  if (current === undefined) {
    res.setHeader('Set-Cookie', serialized);
  } else if (Array.isArray(current)) {
    res.setHeader('Set-Cookie', [...current, serialized]);
  } else {
    res.setHeader('Set-Cookie', [String(current), serialized]);
  }
}

/** Adds `Cookie` to `Vary` unless present (or `Vary: *`). @internal */
export function addVaryCookie(res: SessionResponse): void {
  const current = res.getHeader('vary');
  if (current === undefined || current === '') {
    res.setHeader('Vary', 'Cookie');
    return;
  }
  const value = Array.isArray(current) ? current.join(', ') : String(current);
  if (/(^|,)\s*(\*|cookie)\s*(,|$)/i.test(value)) {
    return;
  }
  res.setHeader('Vary', `${value}, Cookie`);
}
