import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NamespacedSession } from '../session/session';
import type { InvalidSession } from '../session/invalid-session.errors';
import type { ResolvedCookieOptions } from './cookie-options';
import type { SessionLogger } from './session-logger';
import type { SessionIdTransport } from './transports/session-id-transport';

/** The request as factories see it: Node's, plus what Express adds when present. @publicApi */
export type SessionRequest = IncomingMessage & {
  cookies?: Record<string, string | undefined>;
  secure?: boolean;
  protocol?: string;
};

/** The response as factories see it. @publicApi */
export type SessionResponse = ServerResponse;

/** What a factory gets when a handler first asks for its namespace. @publicApi */
export interface LoadContext {
  readonly namespace: string;
  readonly req: SessionRequest;
  /**
   * The request's cookies, parsed once per request and shared by every namespace: the first
   * value of each name. Prefer {@link LoadContext.cookieValues}, which sees repeated names.
   */
  readonly cookies: Readonly<Record<string, string | undefined>>;
  /**
   * Every value the request sent under `name`, in header order, at most 4 (a browser sends one
   * per matching Path and Domain; a sibling subdomain can plant another). Try each and take the
   * first that verifies. Values come from the Cookie header as strings; on a request without the
   * header they come from `req.cookies`, where another parser may have put objects: check
   * `typeof value === 'string'` before decoding. Absent on contexts built by hand.
   */
  cookieValues?(name: string): readonly unknown[];
}

/** Why a cookie may not be sent on this response, or undefined when it may. @publicApi */
export type CookieVeto =
  'headers-sent' | 'exception' | 'not-allowed' | 'insecure-request' | undefined;

/** Per-namespace cookie policy consulted by {@link CommitContext.cookieVeto}. @publicApi */
export interface CookiePolicy {
  cookieOnException: boolean;
  allowCookies: (req: SessionRequest, res: SessionResponse) => boolean;
  secure: boolean | 'auto';
}

/** What a factory gets when the response is about to go out. @publicApi */
export interface CommitContext {
  readonly namespace: string;
  readonly req: SessionRequest;
  readonly res: SessionResponse;
  /** An exception ended the request (see README, "cookieOnException"). */
  readonly exception: boolean;
  /** Whether a Set-Cookie may be added now, and if not, why. Logs the reason once. */
  cookieVeto(policy: CookiePolicy): CookieVeto;
  /** Appends a serialized Set-Cookie header (never replacing other cookies) and `Vary: Cookie`. */
  setCookie(serialized: string): void;
  /**
   * Sets a response header, even while the safety net holds the response for the commit.
   * Absent on contexts built by hand, where `res.setHeader` does the same.
   */
  setHeader?(name: string, value: string): void;
}

/**
 * A session factory: one per namespace. Implement it to plug in another backend.
 *
 * @publicApi
 */
export interface SessionFactory {
  /**
   * The cookie this namespace uses; unique across namespaces. Empty when the factory's
   * {@link idTransport} carries the id elsewhere.
   */
  readonly cookieName: string;
  /**
   * Where a server-side factory carries its id when not in the cookie (a header or a query
   * parameter); the start-up rules then check that name instead of the cookie's.
   */
  readonly idTransport?: SessionIdTransport;
  /** Cookie attributes, checked at start-up for ones browsers would drop. */
  readonly cookieOptions: Readonly<ResolvedCookieOptions>;
  /** Throws `SessionConfigurationError` for options that cannot work (e.g. a short secret). */
  validate?(namespace: string): void;
  /** Builds the request's session from its cookie (and store). Called at most once per request. */
  load(ctx: LoadContext): NamespacedSession | Promise<NamespacedSession>;
  /** Decides and performs what the response needs: write, refresh, cookie, clear, or nothing. */
  commit(session: NamespacedSession, ctx: CommitContext): void | Promise<void>;
  /** A plain description for the debug panel and logs (no secrets). */
  describe(): Record<string, unknown>;
  /**
   * An application starts using the factory (at bootstrap). A factory shared by several
   * applications built from one module (one per test) is in use until the last one closes it.
   */
  open?(): void;
  /** Closes connections the factory opened itself; called on application shutdown. */
  close?(): Promise<void>;
  /** Receives the module's logger at registration (a factory's own `logger` option wins). */
  useLogger?(logger: SessionLogger): void;
}

/** Options every factory accepts for hooks and policies. @publicApi */
export interface SessionHooks {
  /**
   * Where this namespace logs refused cookies (debug), outages (warn) and hooks that threw (error).
   * @default Nest's `Logger` with the context 'SessionMulti' when registered through the module
   */
  logger?: SessionLogger;
  /**
   * Called with the reason whenever an incoming session is refused (tampered, expired, unknown id,
   * corrupt payload). The visitor still gets an empty session. Must not throw.
   */
  onInvalidSession?: (req: SessionRequest, reason: InvalidSession) => void;
  /**
   * Also report visitors who simply have no cookie (`InvalidSessionNoCookie`). Off by default, so
   * metrics built on the hook count real problems (pyramid_session_redis called it for everyone).
   * @default false
   */
  reportMissingCookie?: boolean;
  /**
   * Whether a cookie may be set when an exception ended the request. When false, no new cookie is
   * sent and nothing new is written to the store.
   * @default true
   */
  cookieOnException?: boolean;
  /**
   * Veto for Set-Cookie on a given response. By default cookies are refused on responses marked
   * publicly cacheable (`Cache-Control: public` or `s-maxage`), so a shared cache never stores
   * one visitor's cookie. When it returns false nothing is written to the store either.
   */
  allowCookies?: (req: SessionRequest, res: SessionResponse) => boolean;
}
