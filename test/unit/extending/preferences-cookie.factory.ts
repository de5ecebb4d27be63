import { serialize } from 'cookie';
import {
  NamespacedSession,
  resolveCookieOptions,
  type CommitContext,
  type CookiePolicy,
  type LoadContext,
  type ResolvedCookieOptions,
  type SessionBackend,
  type SessionCookieOptions,
  type SessionFactory,
} from '../../../src';

/** The data lives in the cookie: there is no server record to delete or rotate. */
const NO_RECORD: SessionBackend = {
  idOf: () => undefined,
  ensureId: () => Promise.reject(new Error('Preferences have no server-side id.')),
  invalidate: () => Promise.resolve(),
  regenerate: () => Promise.resolve(),
};

/**
 * Display preferences (theme, language) as base64url JSON in the cookie. The visitor can read and
 * change them, so this suits only data the server never has to trust.
 */
export class PreferencesCookieFactory implements SessionFactory {
  readonly cookieName: string;
  readonly cookieOptions: ResolvedCookieOptions;
  private readonly policy: CookiePolicy;
  /** What each session's data was when loaded or last written. */
  private readonly written = new WeakMap<NamespacedSession, string>();

  constructor(options: SessionCookieOptions) {
    this.cookieName = options.cookieName;
    this.cookieOptions = resolveCookieOptions(options);
    this.policy = {
      cookieOnException: true,
      allowCookies: (_req, res) => !/public|s-maxage/.test(String(res.getHeader('cache-control'))),
      secure: this.cookieOptions.secure,
    };
  }

  load(ctx: LoadContext): NamespacedSession {
    const data = decode(ctx.cookies[this.cookieName]);
    const session = new NamespacedSession({
      namespace: ctx.namespace,
      data: data ?? {},
      created: Math.floor(Date.now() / 1000),
      isNew: data === undefined,
      backend: NO_RECORD,
      baseline: undefined,
    });
    this.written.set(session, JSON.stringify(session.peekData()));
    return session;
  }

  commit(session: NamespacedSession, ctx: CommitContext): void {
    const json = JSON.stringify(session.peekData());
    if (json === this.written.get(session) || ctx.cookieVeto(this.policy) !== undefined) {
      return;
    }
    const { path, domain, httpOnly, sameSite, secure } = this.cookieOptions;
    const value = session.isEmpty() ? '' : Buffer.from(json).toString('base64url');
    ctx.setCookie(
      serialize(this.cookieName, value, {
        path,
        domain,
        httpOnly,
        sameSite,
        secure: secure === true,
        maxAge: value === '' ? 0 : this.cookieOptions.maxAge,
      }),
    );
    this.written.set(session, json);
  }

  describe(): Record<string, unknown> {
    return { type: 'PreferencesCookieFactory', cookie: { ...this.cookieOptions } };
  }
}

function decode(value: string | undefined): Record<string, unknown> | undefined {
  try {
    const data: unknown = JSON.parse(Buffer.from(value ?? '', 'base64url').toString('utf8'));
    return typeof data === 'object' && data !== null && !Array.isArray(data)
      ? (data as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
