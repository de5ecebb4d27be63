import type { ResolvedCookieOptions } from '../factories/cookie-options';
import { messages } from './session-multi.messages';

/** RFC 6265 cookie-name token: visible ASCII except separators. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** A path: starts with "/", no ";" and no control characters. */
const PATH = /^\/[\u0021-\u003a\u003c-\u007e]*$/;
/** A domain name, optionally with a leading dot. */
const DOMAIN =
  /^\.?[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/**
 * Returns the first cookie-attribute problem a browser would punish by dropping the cookie, or
 * undefined.
 *
 * @internal
 */
export function cookieAttributeProblem(ns: string, c: ResolvedCookieOptions): string | undefined {
  if (!TOKEN.test(c.name)) {
    return messages.badCookieName(ns, c.name);
  }
  if (!PATH.test(c.path)) {
    return messages.badCookiePath(ns, c.path);
  }
  if (c.domain !== undefined && !DOMAIN.test(c.domain)) {
    return messages.badCookieDomain(ns, c.domain);
  }
  if (c.sameSite === 'none' && c.secure !== true) {
    return messages.sameSiteNoneInsecure(ns);
  }
  if (c.partitioned && c.secure !== true) {
    return messages.partitionedInsecure(ns);
  }
  // Browsers match the prefixes in any case (RFC 6265bis), and drop a cookie that breaks them.
  const name = c.name.toLowerCase();
  if (
    name.startsWith('__host-') &&
    (c.secure !== true || c.path !== '/' || c.domain !== undefined)
  ) {
    return messages.hostPrefix(ns, c.name);
  }
  if (name.startsWith('__secure-') && c.secure !== true) {
    return messages.securePrefix(ns, c.name);
  }
  return undefined;
}
