import { serialize, type SerializeOptions } from 'cookie';
import type {
  CookiePolicy,
  SessionHooks,
  SessionRequest,
  SessionResponse,
} from './session-factory.interface';
import { MAX_COOKIE_BYTES, SessionCookieTooLargeError } from './session-cookie-too-large.error';
import {
  describeValue,
  expectBoolean,
  expectSeconds,
  expectString,
  optionNames,
  type OptionProblem,
} from './option-rules';

/** Cookie attributes shared by every factory. @publicApi */
export interface SessionCookieOptions {
  /** Cookie name; must be unique across namespaces and an RFC 6265 token. */
  cookieName: string;
  /** Cookie `Max-Age`, in seconds. Unset: a browser-session cookie. */
  maxAge?: number;
  /** Cookie `Path`. @default '/' */
  path?: string;
  /** Cookie `Domain`. Unset (the default) binds the cookie to the exact host. */
  domain?: string;
  /**
   * Cookie `Secure`. `'auto'` sets it on https requests (Express `req.secure`, which honours
   * `trust proxy`) and leaves it off on plain http. With `true`, no cookie is ever sent over plain
   * http (a browser would drop it anyway): the session is not persisted on such requests.
   * @default 'auto'
   */
  secure?: boolean | 'auto';
  /** Cookie `HttpOnly`. @default true */
  httpOnly?: boolean;
  /**
   * Cookie `SameSite`, always sent explicitly, matched in any case (`'None'` is `'none'`).
   * `'none'` requires `secure: true`. @default 'lax'
   */
  sameSite?: 'lax' | 'strict' | 'none';
  /** Cookie `Partitioned` (CHIPS). Requires `secure: true`. @default false */
  partitioned?: boolean;
}

/** Cookie attributes with defaults applied. @publicApi */
export interface ResolvedCookieOptions {
  name: string;
  maxAge: number | undefined;
  path: string;
  domain: string | undefined;
  secure: boolean | 'auto';
  httpOnly: boolean;
  sameSite: 'lax' | 'strict' | 'none';
  partitioned: boolean;
}

/** Applies the cookie defaults; custom factories use it for their `cookieOptions`. @publicApi */
export function resolveCookieOptions(options: SessionCookieOptions): ResolvedCookieOptions {
  return {
    name: options.cookieName,
    maxAge: options.maxAge,
    path: options.path ?? '/',
    domain: options.domain,
    secure: options.secure ?? 'auto',
    httpOnly: options.httpOnly ?? true,
    sameSite: normalSameSite(options.sameSite) ?? 'lax',
    partitioned: options.partitioned ?? false,
  };
}

const SAME_SITE = ['lax', 'strict', 'none'] as const;

/** `sameSite` in lower case when it is one of the three values, else as given (validate refuses it). */
function normalSameSite(value: unknown): ResolvedCookieOptions['sameSite'] | undefined {
  if (typeof value === 'string') {
    const lower = value.toLowerCase();
    if ((SAME_SITE as readonly string[]).includes(lower)) {
      return lower as ResolvedCookieOptions['sameSite'];
    }
  }
  return value as ResolvedCookieOptions['sameSite'] | undefined;
}

/** Names of {@link SessionCookieOptions}. @internal */
export const COOKIE_OPTION_NAMES = optionNames<SessionCookieOptions>({
  cookieName: true,
  maxAge: true,
  path: true,
  domain: true,
  secure: true,
  httpOnly: true,
  sameSite: true,
  partitioned: true,
});

/**
 * The first type or range problem of the cookie options, or undefined. Attribute combinations
 * browsers refuse (SameSite=None without Secure, `__Host-`) are checked by the module on the
 * resolved options.
 *
 * @internal
 */
export function cookieOptionsProblem(options: SessionCookieOptions): OptionProblem {
  const { secure, sameSite } = options as { secure: unknown; sameSite: unknown };
  return (
    expectString('cookieName', options.cookieName, "'ui'") ??
    expectSeconds('maxAge', options.maxAge, { min: 1 }) ??
    maxAgeCapProblem(options.maxAge) ??
    expectString('path', options.path, "'/'") ??
    expectString('domain', options.domain, "'example.com'") ??
    (secure === undefined || typeof secure === 'boolean' || secure === 'auto'
      ? undefined
      : `secure is ${describeValue(secure)}; pass true, false or 'auto'.`) ??
    expectBoolean('httpOnly', options.httpOnly) ??
    (sameSite === undefined ||
    (typeof sameSite === 'string' &&
      (SAME_SITE as readonly string[]).includes(sameSite.toLowerCase()))
      ? undefined
      : `sameSite is ${describeValue(sameSite)}; it must be one of 'lax', 'strict', 'none' (any case). Fix the sameSite option.`) ??
    expectBoolean('partitioned', options.partitioned)
  );
}

/**
 * True when the request arrived over TLS (directly or through a trusted proxy).
 *
 * Without an `X-Forwarded-Proto` header the socket answers, as Express would. With one, the
 * request's own `secure` decides (Express's, which honours 'trust proxy', or the one the Fastify
 * hook defines from Fastify's `trustProxy`). Asking Express only when the header is there keeps
 * its per-call trust check, which reads the socket's remote address, off the common path.
 *
 * @internal
 */
export function isSecureRequest(req: SessionRequest): boolean {
  const encrypted = Boolean((req.socket as { encrypted?: boolean } | undefined)?.encrypted);
  if (req.headers?.['x-forwarded-proto'] === undefined && !Object.hasOwn(req, 'secure')) {
    return encrypted;
  }
  return typeof req.secure === 'boolean' ? req.secure : encrypted;
}

/** The longest cookie lifetime browsers keep (RFC 6265bis caps `Max-Age` at 400 days). */
const MAX_COOKIE_AGE = 400 * 24 * 3600;

/**
 * A `maxAge` past what any browser keeps is almost always milliseconds given for seconds
 * (express-session's `cookie.maxAge` is in milliseconds).
 */
function maxAgeCapProblem(maxAge: number | undefined): OptionProblem {
  if (maxAge === undefined || maxAge <= MAX_COOKIE_AGE) {
    return undefined;
  }
  const days = Math.round(maxAge / 86400);
  return `maxAge is ${maxAge} seconds (${days} days), longer than the 400 days (${MAX_COOKIE_AGE} s) browsers keep a cookie. maxAge is in seconds: if you passed milliseconds, divide by 1000 (${Math.round(maxAge / 1000)}).`;
}

/** The default `allowCookies`: refuse on responses a shared cache may store. @internal */
export function notPubliclyCacheable(_req: SessionRequest, res: SessionResponse): boolean {
  const header = res.getHeader('cache-control');
  if (header === undefined) {
    return true;
  }
  const value = (Array.isArray(header) ? header.join(',') : String(header)).toLowerCase();
  return !/(^|[\s,])(public|s-maxage)\b/.test(value);
}

/** @internal */
export function resolveCookiePolicy(
  hooks: SessionHooks,
  cookie: ResolvedCookieOptions,
): CookiePolicy {
  return {
    cookieOnException: hooks.cookieOnException ?? true,
    allowCookies: hooks.allowCookies ?? notPubliclyCacheable,
    secure: cookie.secure,
  };
}

/**
 * Writes a namespace's Set-Cookie values: the session value, or a clearing cookie with the same
 * Path and Domain. Refuses values a browser would drop for size.
 *
 * @internal
 */
export class CookieWriter {
  constructor(
    private readonly namespace: string,
    private readonly options: ResolvedCookieOptions,
  ) {}

  serialize(
    req: SessionRequest,
    value: string,
    overrides: { maxAge?: number; expires?: Date } = {},
  ): string {
    const bytes = Buffer.byteLength(this.options.name) + Buffer.byteLength(value);
    if (bytes > MAX_COOKIE_BYTES) {
      throw new SessionCookieTooLargeError(this.namespace, bytes);
    }
    const attrs = this.attributes(req);
    const maxAge = overrides.maxAge ?? this.options.maxAge;
    if (maxAge !== undefined) {
      attrs.maxAge = maxAge;
    }
    if (overrides.expires !== undefined) {
      attrs.expires = overrides.expires;
    }
    return serialize(this.options.name, value, attrs);
  }

  /** A cookie that makes the browser forget the session: empty, Max-Age=0, Expires in 1970. */
  serializeClear(req: SessionRequest): string {
    const attrs = this.attributes(req);
    attrs.maxAge = 0;
    attrs.expires = new Date(0);
    return serialize(this.options.name, '', attrs);
  }

  private attributes(req: SessionRequest): SerializeOptions {
    const secure = this.options.secure === 'auto' ? isSecureRequest(req) : this.options.secure;
    return {
      path: this.options.path,
      domain: this.options.domain,
      secure,
      httpOnly: this.options.httpOnly,
      sameSite: this.options.sameSite,
      partitioned: this.options.partitioned || undefined,
    };
  }
}
