import { MAX_COOKIE_CANDIDATES } from '../cookie-candidates';
import type { CommitContext, LoadContext, SessionRequest } from '../session-factory.interface';
import { setResponseHeader, type IdCarrier } from './id-carrier';
import { SessionRedirect } from './session-redirect.error';

/**
 * {@link queryTransport}: the id in a query parameter. A URL cannot be changed by a response, so
 * the only way to hand a new id over is a redirect: a GET that issues one answers `303` to the
 * same URL with the parameter set (with `redirectOnCreate`); other methods never redirect, and
 * the application puts the id into the links it renders (`factory.signedIdOf(session)`).
 *
 * @internal
 */
export class QueryCarrier implements IdCarrier {
  readonly mark = markQueryResponse;

  constructor(
    private readonly param: string,
    private readonly redirectOnCreate: boolean,
  ) {}

  candidates(ctx: LoadContext): readonly unknown[] {
    return queryValues(requestUrl(ctx.req), this.param);
  }

  send(ctx: CommitContext, value: string): void {
    if (!this.redirectOnCreate || ctx.req.method !== 'GET' || ctx.exception) {
      return;
    }
    const url = requestUrl(ctx.req);
    if (queryValues(url, this.param)[0] === value) {
      // The URL already names this id (a refresh): nothing to hand over.
      return;
    }
    const location = withParam(url, this.param, value);
    setResponseHeader(ctx, 'Location', location);
    throw new SessionRedirect(ctx.namespace, location);
  }

  clear(): void {
    // A URL the client holds cannot be taken back; the record is gone, which is what counts.
  }
}

/** Every response of a query-transport namespace: its URL holds a session id. */
function markQueryResponse(ctx: CommitContext): void {
  // The id must not leave in a Referer, nor be kept by a cache.
  setResponseHeader(ctx, 'Referrer-Policy', 'no-referrer');
  setResponseHeader(ctx, 'Cache-Control', 'private, no-store');
}

/** The path and query the client asked for (Express keeps it in `originalUrl` under routers). */
function requestUrl(req: SessionRequest): string {
  return (req as { originalUrl?: string }).originalUrl ?? req.url ?? '/';
}

/** Every value of `param` in the URL's query, in order, at most a few. */
function queryValues(url: string, param: string): string[] {
  const q = url.indexOf('?');
  if (q === -1) {
    return [];
  }
  const values: string[] = [];
  for (const pair of url.slice(q + 1).split('&')) {
    const eq = pair.indexOf('=');
    if (eq !== -1 && safeDecode(pair.slice(0, eq)) === param) {
      values.push(safeDecode(pair.slice(eq + 1)));
      if (values.length === MAX_COOKIE_CANDIDATES) {
        break;
      }
    }
  }
  return values;
}

/** The URL with `param` set to `value` (other parameters kept as sent, earlier values removed). */
export function withParam(url: string, param: string, value: string): string {
  const hash = url.indexOf('#');
  const bare = hash === -1 ? url : url.slice(0, hash);
  const q = bare.indexOf('?');
  const path = sameOriginPath(q === -1 ? bare : bare.slice(0, q));
  const kept =
    q === -1
      ? []
      : bare
          .slice(q + 1)
          .split('&')
          .filter((pair) => pair !== '' && safeDecode(pair.split('=')[0]!) !== param);
  kept.push(`${param}=${encodeURIComponent(value)}`);
  return `${path}?${kept.join('&')}`;
}

/**
 * The path of a request target as a Location that stays on this origin: an absolute-form target
 * (`http://other/x`) keeps only its path, and leading slashes and backslashes collapse into one,
 * since a browser reads `//other/x` or `/\other/x` as another host (and the new id would go there).
 */
function sameOriginPath(path: string): string {
  let local = path;
  if (!local.startsWith('/') && !local.startsWith('\\')) {
    try {
      local = new URL(local).pathname;
    } catch {
      local = '/';
    }
  }
  return local.replace(/^[/\\]+/, '/');
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
