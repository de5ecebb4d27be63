import type {
  LoadContext,
  SessionRequest,
  SessionResponse,
} from '../factories/session-factory.interface';
import { MAX_COOKIE_CANDIDATES } from '../factories/cookie-candidates';
import { varyWith } from '../factories/transports/id-carrier';

/**
 * The request's cookies, parsed once per request and shared by every namespace: the first value
 * of each name (`first`, the `LoadContext.cookies` record) and every value of each name, up to
 * {@link MAX_COOKIE_CANDIDATES}, in header order.
 *
 * The raw `Cookie` header is the source whenever it is present, even when cookie-parser (or
 * another middleware) filled `req.cookies`: cookie-parser turns `j:` values into objects, moves
 * `s:` values it signed itself to `req.signedCookies` (deleting them from `req.cookies`), and
 * keeps only the first of two cookies with the same name. Only a request without the header
 * falls back to `req.cookies`, whose values can then be anything: they are handed on as they
 * are, and the factories refuse the ones that are not strings.
 *
 * @internal
 */
export class RequestCookies {
  /** Every name/value pair in header order (two parallel lists: no object per pair). */
  private readonly names: string[] = [];
  private readonly vals: unknown[] = [];
  private firstOf: Record<string, string | undefined> | undefined;

  /** First string value of each name, built on first use (the built-in factories never ask). */
  get first(): Readonly<Record<string, string | undefined>> {
    if (this.firstOf === undefined) {
      const first = Object.create(null) as Record<string, string | undefined>;
      for (let i = 0; i < this.names.length; i++) {
        const value = this.vals[i];
        if (typeof value === 'string' && first[this.names[i]!] === undefined) {
          first[this.names[i]!] = value;
        }
      }
      this.firstOf = first;
    }
    return this.firstOf;
  }

  /** Every value sent under `name`, in header order (at most {@link MAX_COOKIE_CANDIDATES}). */
  values(name: string): readonly unknown[] {
    let found: unknown[] | undefined;
    for (let i = 0; i < this.names.length; i++) {
      if (this.names[i] === name) {
        (found ??= []).push(this.vals[i]);
        if (found.length === MAX_COOKIE_CANDIDATES) {
          break;
        }
      }
    }
    return found ?? NONE;
  }

  /** @internal */
  add(name: string, value: unknown): void {
    this.names.push(name);
    this.vals.push(value);
  }

  /** The {@link LoadContext} of one namespace over these cookies. */
  loadContext(namespace: string, req: SessionRequest): LoadContext {
    return new RequestLoadContext(namespace, req, this);
  }
}

const NONE: readonly unknown[] = Object.freeze([]);

/** A {@link LoadContext} whose `cookieValues` reads the request's parsed cookies. @internal */
class RequestLoadContext implements LoadContext {
  readonly #jar: RequestCookies;

  constructor(
    readonly namespace: string,
    readonly req: SessionRequest,
    jar: RequestCookies,
  ) {
    this.#jar = jar;
  }

  get cookies(): Readonly<Record<string, string | undefined>> {
    return this.#jar.first;
  }

  cookieValues(name: string): readonly unknown[] {
    return this.#jar.values(name);
  }
}

/**
 * Parses the request's cookies (see {@link RequestCookies} for why the header wins over
 * `req.cookies`).
 *
 * @internal
 */
export function readCookies(req: SessionRequest): RequestCookies {
  const jar = new RequestCookies();
  const header = req.headers.cookie;
  if (typeof header === 'string' && header !== '') {
    parseCookieHeader(header, jar);
  } else if (req.cookies !== null && typeof req.cookies === 'object') {
    for (const [name, value] of Object.entries(req.cookies as Record<string, unknown>)) {
      jar.add(name, value);
    }
  }
  return jar;
}

/**
 * Splits a Cookie header into name/value pairs with the `cookie` package's rules (pairs split on
 * ";", the first "=" ends the name, spaces and tabs trimmed around both, values URL-decoded when
 * they contain "%" and kept as sent when that fails), but keeps every value of a repeated name:
 * `cookie.parse` keeps only the first.
 */
function parseCookieHeader(header: string, jar: RequestCookies): void {
  let start = 0;
  while (start < header.length) {
    let end = header.indexOf(';', start);
    if (end === -1) {
      end = header.length;
    }
    const eq = header.indexOf('=', start);
    if (eq !== -1 && eq < end) {
      const name = trimmed(header, start, eq);
      if (name !== '') {
        jar.add(name, decodeValue(trimmed(header, eq + 1, end)));
      }
    }
    start = end + 1;
  }
}

/** `header.slice(from, to)` without the spaces and tabs around it (what `cookie` trims). */
function trimmed(header: string, from: number, to: number): string {
  while (from < to && isBlank(header.charCodeAt(from))) {
    from++;
  }
  while (to > from && isBlank(header.charCodeAt(to - 1))) {
    to--;
  }
  return header.slice(from, to);
}

function isBlank(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

function decodeValue(value: string): string {
  if (!value.includes('%')) {
    return value;
  }
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
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

/** Adds a request header's name to `Vary` unless present (or `Vary: *`). @internal */
export function addVaryHeader(res: SessionResponse, name: string): void {
  const next = varyWith(res.getHeader('vary'), name);
  if (next !== undefined) {
    res.setHeader('Vary', next);
  }
}

/** Adds `Cookie` to `Vary` unless present (or `Vary: *`). @internal */
export function addVaryCookie(res: SessionResponse): void {
  addVaryHeader(res, 'Cookie');
}
