import type { SecretOrSecrets } from '../crypto/secret';
import type { SessionSerializer } from '../session/serializer';
import type { SessionStore } from '../stores/session-store.interface';
import type { SessionCookieOptions } from './cookie-options';
import type { SessionHooks } from './session-factory.interface';
import { findProblem } from './server-session-option-rules';
import type { SessionIdTransport } from './transports/session-id-transport';

/**
 * What a namespace does when its store fails (connection refused, deadline passed):
 * `'throw'` fails the request with `503` (a `SessionStoreError` naming namespace, store and
 * operation is the cause); `'fail-open'` serves an empty session that is never saved and logs one
 * warning.
 *
 * @publicApi
 */
export type StoreErrorPolicy = 'throw' | 'fail-open';

/**
 * Options of {@link ServerSessionFactory}: pyramid_session_redis's options in camelCase (see the
 * README's mapping table), over any {@link SessionStore}.
 *
 * @publicApi
 */
export interface ServerSessionOptions
  extends Omit<SessionCookieOptions, 'cookieName'>, SessionHooks {
  /**
   * Name of the id cookie: required with the default {@link cookieTransport}, refused with a
   * header or query transport (as are the other cookie attributes).
   */
  cookieName?: string;
  /**
   * Where the client carries the signed id: {@link cookieTransport} (the default),
   * {@link headerTransport} or {@link queryTransport}. See docs/transports.md.
   * @default cookieTransport()
   */
  transport?: SessionIdTransport;
  /** Where the payloads live (RedisStore, FileStore, MemoryStore or your own). */
  store: SessionStore;
  /**
   * HMAC secret for the id cookie, 32 bytes or more. A list rotates secrets: the first signs, all
   * verify, and a cookie verified by an older one is re-issued under the first on the same response.
   */
  secret: SecretOrSecrets;
  /**
   * Idle timeout in seconds. `0` or `null`: no timeout anywhere (records kept until deleted or
   * evicted).
   * @default 1200
   */
  timeout?: number | null;
  /**
   * Keep the expiry inside the payload (`x`) instead of only in the store TTL, and move it by
   * rewriting the payload once the request falls within `timeoutTrigger` seconds of it. Needed when
   * the store keeps no TTL (`setStoreTtl: false`). pyramid_session_redis: `python_expires`.
   * @default true when `timeoutTrigger` is set or `setStoreTtl` is false, else false
   */
  expiryInPayload?: boolean;
  /**
   * With the expiry in the payload, a read-only request rewrites the payload only when it comes
   * within this many seconds of the expiry; earlier reads cost one `GET` and nothing else. The
   * session then lasts between `timeoutTrigger` and `timeout` seconds after the last use.
   * Must be below `timeout`. Setting it implies `expiryInPayload`.
   * @default null; with the expiry in the payload, `timeout - timeout / 10` (a rewrite at most
   *   every tenth of the timeout)
   */
  timeoutTrigger?: number | null;
  /**
   * Give every record a store TTL (Redis `EX`, `EXPIRE`). `false` is LRU mode: the store never
   * learns a TTL (let Redis evict with `maxmemory-policy allkeys-lru`), and the timeout is enforced
   * from the payload. pyramid_session_redis: `set_redis_ttl`.
   * @default true
   */
  setStoreTtl?: boolean;
  /**
   * Reset the TTL while reading, in one round trip (`store.getAndTouch`, Redis `GETEX key EX t`),
   * instead of an `EXPIRE` at the end of read-only requests. Requires a timeout and store TTLs,
   * and the expiry kept out of the payload. pyramid_session_redis: `set_redis_ttl_readheavy`.
   * @default false
   */
  touchOnRead?: boolean;
  /**
   * Find nested mutations (`session.get('cart').items.push(x)`) without `changed()` by comparing
   * the data with what was loaded; only sessions that handed out values pay for it.
   * @default true
   */
  detectChanges?: boolean;
  /**
   * A stored payload that cannot be deserialized starts a new session (and reports
   * `InvalidSessionDeserialization`). `false` fails the request with `RawDeserializationError`.
   * @default true (pyramid_session_redis raised by default)
   */
  deserializedFailsNew?: boolean;
  /**
   * Delete a session that holds no data at the end of a request (record and cookie), and never
   * create one for a visitor who stored nothing.
   * @default true
   */
  invalidateEmptySession?: boolean;
  /**
   * New session ids: must return 22 to 128 characters of `[A-Za-z0-9_-]` with at least 128 bits
   * of randomness. @default 32 bytes of `crypto.randomBytes`, base64url
   */
  idGenerator?: () => string;
  /** Codec of the `{ m, c, v, t?, x? }` payload. @default JSON */
  serializer?: SessionSerializer;
  /** What a store failure does to the request. @default 'throw' */
  onStoreError?: StoreErrorPolicy;
  /**
   * What a write-back does when another request changed the session since this one loaded it:
   * `'merge'` applies this request's changed keys on top of the stored record (a key changed by
   * both answers 409), `'reject'` answers 409 and writes nothing, `'overwrite'` keeps the last
   * writer's data. A session deleted meanwhile (logout, regenerate, revocation) is never
   * recreated in any mode: the request answers 409.
   * @default 'merge'
   */
  onConflict?: ConflictPolicy;
  /**
   * Re-sends the id cookie with a fresh `Max-Age`/`Expires` when a read-only request refreshes the
   * session in the store, so an active user's cookie does not expire at creation + `maxAge`.
   * Refreshes follow the refresh strategy (with `timeoutTrigger`, once per trigger window), so a
   * busy user does not get a cookie on every response. Has an effect only with `maxAge`.
   * @default false
   */
  rolling?: boolean;
  /** Absolute lifetime in seconds counted from `created`; refreshes never extend it. Off by default. */
  maxLifetime?: number;
  /**
   * HMAC hash algorithm of the id cookie: 'sha256', 'sha384', 'sha512', 'sha3-256', 'sha3-384'
   * or 'sha3-512'. @default 'sha512'
   */
  hashAlgorithm?: string;
  /** Salt prepended to the secret to key the cookie HMAC. @default 'nestjs-session-multi.server.' */
  salt?: string;
}

/** What a write-back does when another request changed the session meanwhile. @publicApi */
export type ConflictPolicy = 'merge' | 'reject' | 'overwrite';

/** How a read-only request keeps an existing session alive. @internal */
export type RefreshMode = 'none' | 'touch' | 'get-and-touch' | 'rewrite';

/** Options with defaults applied, and the first problem found (reported by `validate()`). @internal */
export interface ServerSessionSettings {
  timeout: number | null;
  trigger: number | null;
  expiryInPayload: boolean;
  storeTtl: boolean;
  touchOnRead: boolean;
  detectChanges: boolean;
  deserializedFailsNew: boolean;
  invalidateEmptySession: boolean;
  failOpen: boolean;
  onConflict: ConflictPolicy;
  rolling: boolean;
  maxLifetime: number | undefined;
  problem: string | undefined;
}

/** Applies defaults and checks the option combinations pyramid_session_redis refuses. @internal */
export function resolveServerSettings(options: ServerSessionOptions): ServerSessionSettings {
  // pyramid_session_redis: 0 means no timeout, like null.
  const timeout =
    options.timeout === undefined ? 1200 : options.timeout === 0 ? null : options.timeout;
  const storeTtl = options.setStoreTtl ?? true;
  const touchOnRead = options.touchOnRead ?? false;
  const explicitTrigger = options.timeoutTrigger ?? null;
  const expiryInPayload = options.expiryInPayload ?? (explicitTrigger !== null || !storeTtl);
  const settings: ServerSessionSettings = {
    timeout,
    trigger: null,
    expiryInPayload,
    storeTtl,
    touchOnRead,
    detectChanges: options.detectChanges ?? true,
    deserializedFailsNew: options.deserializedFailsNew ?? true,
    invalidateEmptySession: options.invalidateEmptySession ?? true,
    failOpen: (options.onStoreError ?? 'throw') === 'fail-open',
    onConflict: options.onConflict ?? 'merge',
    rolling: options.rolling ?? false,
    maxLifetime: options.maxLifetime,
    problem: undefined,
  };
  settings.problem = findProblem(options, settings, explicitTrigger);
  if (timeout !== null && expiryInPayload) {
    settings.trigger = explicitTrigger ?? defaultTrigger(timeout);
  }
  return settings;
}

/** Rewrite once a tenth of the timeout has passed since the last write. @internal */
export function defaultTrigger(timeout: number): number {
  return timeout - Math.max(1, Math.floor(timeout / 10));
}

/** The refresh a read-only request needs for a session with idle timeout `t`. @internal */
export function refreshMode(s: ServerSessionSettings, t: number | null): RefreshMode {
  if (t === null) {
    return 'none';
  }
  if (s.expiryInPayload) {
    return 'rewrite';
  }
  if (!s.storeTtl) {
    return 'none';
  }
  return s.touchOnRead ? 'get-and-touch' : 'touch';
}
