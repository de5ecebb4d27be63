import type { CommitContext, LoadContext } from '../session-factory.interface';

/** `recookie()` overrides: a new `Max-Age` or `Expires` for the cookie carrying the id. @internal */
export type CarrierOverrides = { maxAge?: number; expires?: Date } | undefined;

/**
 * How a server-side factory reads its signed id from a request and hands it back on a response:
 * the working half of a {@link SessionIdTransport}, bound to one namespace's options.
 *
 * @internal
 */
export interface IdCarrier {
  /** Every value the request carries for the id, in order. */
  candidates(ctx: LoadContext): readonly unknown[];
  /** Gives the client the signed id (a new one, a re-signed one, or a refreshed cookie). */
  send(ctx: CommitContext, value: string, overrides: CarrierOverrides): void;
  /** Tells the client to forget the id it sent. */
  clear(ctx: CommitContext): void;
  /** Headers every committed response of the namespace carries; undefined when there are none. */
  readonly mark: ((ctx: CommitContext) => void) | undefined;
}

/** Sets a header through the commit context, so it lands even while the net holds the response. @internal */
export function setResponseHeader(ctx: CommitContext, name: string, value: string): void {
  if (ctx.setHeader !== undefined) {
    ctx.setHeader(name, value);
  } else {
    ctx.res.setHeader(name, value);
  }
}

/**
 * The `Vary` value `current` becomes with `token` added, or undefined when it lists the token
 * already (in any case) or is `*`. @internal
 */
export function varyWith(
  current: number | string | readonly string[] | undefined,
  token: string,
): string | undefined {
  if (current === undefined || current === '') {
    return token;
  }
  const value = Array.isArray(current) ? current.join(', ') : String(current ?? '');
  const listed = value
    .split(',')
    .map((v) => v.trim().toLowerCase())
    .filter((v) => v !== '');
  if (listed.includes('*') || listed.includes(token.toLowerCase())) {
    return undefined;
  }
  return listed.length === 0 ? token : `${value}, ${token}`;
}

/** Adds `token` to the response's `Vary` unless it is there already (or `Vary: *`). @internal */
export function addVary(ctx: CommitContext, token: string): void {
  const next = varyWith(ctx.res.getHeader('vary'), token);
  if (next !== undefined) {
    setResponseHeader(ctx, 'Vary', next);
  }
}

/** A response that carries a session id is one client's: no cache may store it. @internal */
export function keepPrivate(ctx: CommitContext): void {
  if (ctx.res.getHeader('cache-control') === undefined) {
    setResponseHeader(ctx, 'Cache-Control', 'private, no-store');
  }
}
