import { ServerResponse } from 'node:http';
import { isDeepStrictEqual } from 'node:util';
import type {
  CommitContext,
  CookieVeto,
  LoadContext,
  SessionFactory,
} from '../../src/factories/session-factory.interface';
import type { InvalidSession } from '../../src/session/invalid-session.errors';
import type { NamespacedSession } from '../../src/session/session';
import { readCookies } from '../../src/request/cookie-io';
import { fakeRequest } from '../support/factory-context';

/** The namespace (and cookie name) every fuzzed factory serves. */
export const NS = 'ui';
export const SECRET = 'fuzz-secret-0123456789abcdef0123456789abcdef';
export const KEY = Buffer.alloc(32, 0x5a);

// One request and response for every case: building a socket per case would cost more than the
// decoding under test.
const REQ = fakeRequest();
const RES = new ServerResponse(REQ);

function loadContext(cookies: Record<string, string | undefined> = {}): LoadContext {
  return { namespace: NS, req: REQ, cookies };
}

/** Keeps the value of the one Set-Cookie a commit sends. */
class CookieCapture implements CommitContext {
  readonly namespace = NS;
  readonly req = REQ;
  readonly res = RES;
  readonly exception = false;
  readonly values: string[] = [];

  cookieVeto(): CookieVeto {
    return undefined;
  }

  setCookie(serialized: string): void {
    const pair = serialized.split(';')[0]!;
    this.values.push(decodeURIComponent(pair.slice(pair.indexOf('=') + 1)));
  }
}

/** Collects the reasons a factory reports through onInvalidSession. */
export class ReasonLog {
  readonly reasons: InvalidSession[] = [];
  readonly hook = (_req: unknown, reason: InvalidSession): void => {
    this.reasons.push(reason);
  };

  /** The reasons reported since the last call. */
  take(): InvalidSession[] {
    return this.reasons.splice(0);
  }
}

/** Loads `value` as the namespace's cookie, as the container would hand it over. */
export function loadCookie(
  factory: SessionFactory,
  value: string,
): NamespacedSession | Promise<NamespacedSession> {
  return factory.load(loadContext({ [NS]: value }));
}

/**
 * Loads `value` sent in a Cookie header, through the header parser the container uses (which
 * URL-decodes and may split or drop what it cannot read).
 */
export function loadCookieHeader(
  factory: SessionFactory,
  value: string,
): NamespacedSession | Promise<NamespacedSession> {
  return factory.load(loadContext({ [NS]: headerValue(value) }));
}

/** What the header parser hands the factory for `value` sent as the namespace's cookie. */
export function headerValue(value: string): string | undefined {
  REQ.headers.cookie = `${NS}=${value}`;
  const first = readCookies(REQ).values(NS)[0];
  const parsed = typeof first === 'string' ? first : undefined;
  delete REQ.headers.cookie;
  return parsed;
}

/** Issues a cookie for `data` the way a request would: load nothing, set, commit. */
export async function issueCookie(
  factory: SessionFactory,
  data: Record<string, unknown>,
): Promise<string> {
  const session = await factory.load(loadContext());
  for (const [key, value] of Object.entries(data)) {
    session.set(key, value);
  }
  const ctx = new CookieCapture();
  await factory.commit(session, ctx);
  if (ctx.values.length !== 1) {
    throw new Error(`expected one Set-Cookie, got ${ctx.values.length}`);
  }
  return ctx.values[0]!;
}

/** An empty new session: what every refused cookie must give. */
export function isFreshEmpty(session: NamespacedSession): boolean {
  return session.isNew && session.size === 0;
}

/** The session holds exactly `data` (JSON deep equality, -0 and all). */
export function holds(session: NamespacedSession, data: Record<string, unknown>): boolean {
  return !session.isNew && isDeepStrictEqual(session.toJSON(), data);
}
