import { describeValue } from '../option-rules';

/** The session id travels in the namespace's cookie (the default). @publicApi */
export interface CookieTransport {
  readonly kind: 'cookie';
}

/** The session id travels in a request header and comes back in the same response header. @publicApi */
export interface HeaderTransport {
  readonly kind: 'header';
  /** Header name, matched in any case. */
  readonly name: string;
}

/** The session id travels in a query parameter of every URL (a last resort, see docs/transports.md). @publicApi */
export interface QueryTransport {
  readonly kind: 'query';
  /** Query parameter name. */
  readonly param: string;
  /** A GET that creates a session answers 303 to the same URL with the id set. */
  readonly redirectOnCreate: boolean;
}

/**
 * Where a server-side namespace carries its signed session id between requests. Build one with
 * {@link cookieTransport}, {@link headerTransport} or {@link queryTransport}.
 *
 * @publicApi
 */
export type SessionIdTransport = CookieTransport | HeaderTransport | QueryTransport;

const COOKIE: CookieTransport = Object.freeze({ kind: 'cookie' });

/**
 * The id in the namespace's cookie, `cookieName`, with its cookie attributes.
 *
 * @example new RedisSessionFactory({ secret, cookieName: 'sid', redis, transport: cookieTransport() })
 * @publicApi
 */
export function cookieTransport(): CookieTransport {
  return COOKIE;
}

/**
 * The id in a request header; responses that issue, re-issue or clear the id carry it in the same
 * header (empty when cleared). For API clients that keep the id themselves. Cross-origin browser
 * clients need the name in CORS `exposedHeaders` and `allowedHeaders`.
 *
 * @example new RedisSessionFactory({ secret, redis, transport: headerTransport({ name: 'X-Api-Session' }) })
 * @publicApi
 */
export function headerTransport(options: { name?: string } = {}): HeaderTransport {
  return Object.freeze({ kind: 'header', name: options.name ?? 'X-Session-Id' });
}

/**
 * The id in a query parameter. Every link the application renders must carry it, and URLs leak
 * (Referer, history, logs): use it only for clients that can keep neither a cookie nor a header.
 *
 * @example new ServerSessionFactory({ secret, store, transport: queryTransport({ param: 'sid' }) })
 * @publicApi
 */
export function queryTransport(options: {
  param: string;
  redirectOnCreate?: boolean;
}): QueryTransport {
  return Object.freeze({
    kind: 'query',
    param: options?.param,
    redirectOnCreate: options?.redirectOnCreate ?? true,
  });
}

/** An HTTP field name (RFC 9110 token). */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Query parameter names that survive any URL encoder unchanged. */
const PARAM = /^[A-Za-z0-9_.~-]+$/;
/** Headers whose meaning HTTP or this library already fixes. */
const RESERVED_HEADERS = new Set(['cookie', 'set-cookie', 'authorization', 'location', 'vary']);

/** The option as given, before its shape is known. */
type LooseTransport =
  | { kind?: unknown; name?: unknown; param?: unknown; redirectOnCreate?: unknown }
  | null
  | undefined;

/** The first problem of the `transport` option, or undefined. @internal */
export function transportProblem(transport: LooseTransport): string | undefined {
  if (transport === undefined) {
    return undefined;
  }
  const t = transport;
  if (
    t === null ||
    typeof t !== 'object' ||
    !['cookie', 'header', 'query'].includes(String(t.kind))
  ) {
    return `transport is ${describeValue(transport)}; pass cookieTransport(), headerTransport() or queryTransport({ param }).`;
  }
  if (t.kind === 'header') {
    if (typeof t.name !== 'string' || !TOKEN.test(t.name)) {
      return `headerTransport name is ${describeValue(t.name)}, which is not an HTTP header name (letters, digits and !#$%&'*+-.^_\`|~ only). Pass a name such as 'X-Session-Id'.`;
    }
    if (RESERVED_HEADERS.has(t.name.toLowerCase())) {
      return `headerTransport name "${t.name}" is a header HTTP already gives a meaning to. Pass a name of your own such as 'X-Session-Id'.`;
    }
  }
  if (t.kind === 'query') {
    if (typeof t.param !== 'string' || !PARAM.test(t.param)) {
      return `queryTransport param is ${describeValue(t.param)}; it must be a non-empty name of letters, digits and _.~- only. Pass a name such as 'sid'.`;
    }
    if (typeof t.redirectOnCreate !== 'boolean') {
      return `queryTransport redirectOnCreate is ${describeValue(t.redirectOnCreate)}; pass true or false.`;
    }
  }
  return undefined;
}

/** What the start-up rules compare across namespaces: kind and carrier name. @internal */
export function transportName(transport: SessionIdTransport): string | undefined {
  switch (transport.kind) {
    case 'header':
      return transport.name;
    case 'query':
      return transport.param;
    default:
      return undefined;
  }
}
