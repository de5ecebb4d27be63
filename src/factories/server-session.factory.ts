import { Signer, hashAlgorithmProblem } from '../crypto/signer';
import { secretProblem, toSecretList } from '../crypto/secret';
import { generateSessionId, isPlausibleSessionId } from '../crypto/session-id';
import type { NamespacedSession } from '../session/session';
import { JSON_SERIALIZER } from '../session/serializer';
import { SessionConfigurationError } from '../session/session-configuration.error';
import { SessionStoreError } from '../stores/session-store.error';
import type { SessionStore } from '../stores/session-store.interface';
import { LoggerSlot, type SessionLogger } from './session-logger';
import { OutageLog } from './outage-log';
import { handleOf, OwnerIndex, type OwnedSession } from './owner-index';
import { storeKey } from '../stores/store-key';
import {
  CookieWriter,
  resolveCookieOptions,
  resolveCookiePolicy,
  type ResolvedCookieOptions,
} from './cookie-options';
import type {
  CommitContext,
  CookiePolicy,
  LoadContext,
  SessionFactory,
  SessionHooks,
} from './session-factory.interface';
import {
  serverState,
  ServerSessionBackend,
  type ServerSessionState,
} from './server-session-backend';
import { ServerSessionLoader } from './server-session-loader';
import {
  refreshMode,
  resolveServerSettings,
  type ServerSessionOptions,
  type ServerSessionSettings,
} from './server-session.options';
import { ServerSessionWriter, nowSeconds } from './server-session-writer';

/**
 * Server-side sessions: the cookie holds only a signed id, the data lives in a
 * {@link SessionStore} under a hash of the id. pyramid_session_redis's semantics (lazy creation,
 * collision-safe ids, timeouts with a store TTL and/or an expiry in the payload, `timeoutTrigger`,
 * LRU mode, change detection, empty sessions deleted), with its defects fixed: a read never
 * rewrites an unchanged payload just because time passed, a vetoed cookie writes nothing, and
 * visitors without a cookie are not reported as invalid unless asked.
 *
 * Store calls per request with the defaults: none for a namespace the request does not touch or a
 * new session that stays empty; one `SET … NX` for a new session with data; `GET` + `EXPIRE` for a
 * read, `GET` + `SET` for a write, `GET` + `DEL` for `invalidate()`.
 *
 * @example
 * new ServerSessionFactory({ store: new MemoryStore(), secret: process.env.CART_SECRET!, cookieName: 'cart' })
 * @publicApi
 */
export class ServerSessionFactory implements SessionFactory {
  readonly cookieName: string;
  readonly cookieOptions: Readonly<ResolvedCookieOptions>;
  /** The store this namespace uses. */
  readonly store: SessionStore;
  private readonly settings: ServerSessionSettings;
  private readonly secrets: Buffer[];
  private readonly signer: Signer | undefined;
  private readonly policy: CookiePolicy;
  private readonly idGenerator: () => string;
  private readonly hashAlgorithm: string;
  private readonly writer: ServerSessionWriter;
  private readonly loader: ServerSessionLoader;
  private readonly logger: LoggerSlot;
  private cookieWriter: CookieWriter | undefined;
  private readonly owners: OwnerIndex;

  constructor(options: ServerSessionOptions) {
    this.logger = new LoggerSlot(options.logger);
    this.cookieName = options.cookieName;
    this.cookieOptions = resolveCookieOptions(options);
    this.store = options.store;
    this.settings = resolveServerSettings(options);
    this.secrets = toSecretList(options.secret);
    const hooks: SessionHooks = {
      ...options,
      cookieOnException: options.cookieOnException ?? true,
    };
    this.policy = resolveCookiePolicy(hooks, this.cookieOptions);
    this.idGenerator = options.idGenerator ?? generateSessionId;
    this.hashAlgorithm = options.hashAlgorithm ?? 'sha512';
    this.signer = this.makeSigner(options.salt ?? 'nestjs-session-multi.server.');
    const serializer = options.serializer ?? JSON_SERIALIZER;
    this.owners = new OwnerIndex(this.store, serializer);
    const outage = new OutageLog(
      String(this.store?.name ?? 'store'),
      this.logger,
      this.settings.failOpen,
    );
    this.writer = new ServerSessionWriter(
      this.store,
      this.settings,
      serializer,
      (ns) => this.newId(ns),
      outage,
    );
    const backend = new ServerSessionBackend({
      create: (session) => this.writer.create(session, this.assertAttached(session)),
      remove: (session, id) => this.writer.remove(session.namespace, id),
      reindex: (session, oldId, newId) => this.reindex(session, oldId, newId),
    });
    this.loader = new ServerSessionLoader({
      cookieName: this.cookieName,
      signer: () => this.signer!,
      store: this.store,
      settings: this.settings,
      serializer,
      hooks,
      backend,
      writer: this.writer,
      logger: this.logger,
      outage,
    });
  }

  validate(namespace: string): void {
    const problem =
      secretProblem(this.secrets) ??
      this.settings.problem ??
      hashAlgorithmProblem(this.hashAlgorithm);
    if (problem !== undefined) {
      throw new SessionConfigurationError(`Namespace "${namespace}": ${problem}`);
    }
    this.newId(namespace);
  }

  load(ctx: LoadContext): NamespacedSession | Promise<NamespacedSession> {
    return this.loader.load(ctx);
  }

  /**
   * Returns a promise only when a store call is needed; a read that changes nothing (trigger
   * mode before the window, a TTL already refreshed) is decided synchronously, so the response
   * is not held for it.
   */
  commit(session: NamespacedSession, ctx: CommitContext): Promise<void> | undefined {
    const state = serverState(session);
    if (state.detached || state.failed) {
      return undefined;
    }
    let pending: Promise<void> | undefined;
    try {
      pending = this.persist(session, state, ctx);
    } catch (error) {
      return this.commitFailed(state, ctx, error);
    }
    return pending?.catch((error: unknown) => this.commitFailed(state, ctx, error));
  }

  /** A failed commit: thrown on (503 / 500), or logged and dropped under `fail-open`. */
  private commitFailed(state: ServerSessionState, _ctx: CommitContext, error: unknown): undefined {
    // The error response commits again; it must not repeat the failed store calls.
    state.failed = true;
    if (error instanceof SessionStoreError && this.settings.failOpen) {
      // Logged once per outage by the outage log.
      return undefined;
    }
    throw error;
  }

  describe(): Record<string, unknown> {
    const s = this.settings;
    return {
      type: 'ServerSessionFactory',
      store: this.store.name,
      cookie: { ...this.cookieOptions },
      timeout: s.timeout,
      timeoutTrigger: s.trigger,
      expiryInPayload: s.expiryInPayload,
      setStoreTtl: s.storeTtl,
      touchOnRead: s.touchOnRead,
      refresh: refreshMode(s, s.timeout),
      detectChanges: s.detectChanges,
      deserializedFailsNew: s.deserializedFailsNew,
      invalidateEmptySession: s.invalidateEmptySession,
      onStoreError: s.failOpen ? 'fail-open' : 'throw',
      maxLifetime: s.maxLifetime ?? null,
      hashAlgorithm: this.hashAlgorithm,
      secrets: this.secrets.length,
    };
  }

  useLogger(logger: SessionLogger): void {
    this.logger.useDefault(logger);
  }

  /** Closes the store; a store closes only what it opened itself (never a client passed in). */
  async close(): Promise<void> {
    await this.store.close?.();
  }

  /**
   * The end-of-request decision: write, refresh, delete, cookie, or nothing. Returns the pending
   * store call, if any; cookies are set once it succeeded.
   */
  private persist(
    session: NamespacedSession,
    state: ServerSessionState,
    ctx: CommitContext,
  ): Promise<void> | undefined {
    const ns = ctx.namespace;
    const modified = this.isModified(session);
    if (
      session.isEmpty() &&
      (this.settings.invalidateEmptySession || (state.id === undefined && !modified))
    ) {
      return this.discard(session, state, ctx);
    }
    if (state.id === undefined) {
      // A vetoed cookie must not leave a record nobody can name.
      if (!modified || this.vetoed(ctx)) {
        return undefined;
      }
      if (this.writer.isExpired(session, nowSeconds())) {
        return this.discard(session, state, ctx);
      }
      const recookie = session.state.recookie;
      return this.writer
        .create(session, state)
        .then((id) => {
          state.id = id;
          return this.indexOwner(session, state);
        })
        .then(() => this.sendCookie(state, ctx, recookie));
    }
    const id = state.id;
    // Read now: the container settles the session's flags once this method returns, before the
    // store call completes.
    const recookie = session.state.recookie;
    const needsCookie = !state.browserHasId || state.rotated || recookie !== undefined;
    if ((modified || needsCookie) && this.vetoed(ctx)) {
      if (state.browserHasId) {
        return undefined;
      }
      // ensureId() wrote a record that the browser will never be told about.
      return this.writer.remove(ns, id).then(() => {
        state.id = undefined;
      });
    }
    const now = nowSeconds();
    let write: Promise<void> | undefined;
    let refresh = false;
    if (modified || this.writer.inTriggerWindow(session, now)) {
      if (this.writer.isExpired(session, now)) {
        return this.discard(session, state, ctx);
      }
      write = this.writer.rewrite(session, state, id).then(() => this.indexOwner(session, state));
      refresh = !modified;
    } else if (this.writer.needsTouch(session)) {
      write = this.writer.touch(session, id, now);
      refresh = write !== undefined;
    }
    if (refresh) {
      // Only keeping the session alive: a store that fails now must not fail a read.
      write = write!.catch(() => this.refreshFailed(state));
    }
    const rolling = refresh && this.rollsCookie() && !needsCookie && !this.vetoed(ctx);
    if (!needsCookie && !rolling) {
      return write;
    }
    if (write === undefined) {
      this.sendCookie(state, ctx, recookie);
      return undefined;
    }
    return write.then(() => {
      if (!state.refreshFailed) {
        this.sendCookie(state, ctx, recookie);
      }
    });
  }

  /** `setOwner()` ran on this request: the owner's index gains the session once it is written. */
  private indexOwner(session: NamespacedSession, state: ServerSessionState): Promise<void> | void {
    if (!state.ownerChanged || state.owner === undefined || state.id === undefined) {
      return;
    }
    state.ownerChanged = false;
    const ttl = this.writer.ttlFor(session, nowSeconds());
    return this.ownerCall(session.namespace, () =>
      this.owners.add(state.owner!, storeKey(state.id!), ttl),
    );
  }

  private async reindex(session: NamespacedSession, oldId: string, newId: string): Promise<void> {
    const owner = serverState(session).owner;
    if (owner === undefined) {
      return;
    }
    const ttl = this.writer.ttlFor(session, nowSeconds());
    await this.ownerCall(session.namespace, async () => {
      await this.owners.add(owner, storeKey(newId), ttl);
      await this.owners.remove(owner, [storeKey(oldId)]);
    });
  }

  private async ownerCall<T>(namespace: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (cause) {
      throw new SessionStoreError(namespace, this.store.name, 'index', cause);
    }
  }

  /**
   * The user's sessions in this namespace (bound with `session.setOwner()`), most recent first:
   * a handle, creation and last-seen times, never an id.
   */
  listSessions(userId: string): Promise<OwnedSession[]> {
    return this.owners
      .sessions(userId)
      .then((found) =>
        found.map(({ handle, created, lastSeen }) => ({ handle, created, lastSeen })),
      );
  }

  /** Ends one of the user's sessions by the handle `listSessions()` gave; false when none matched. */
  async revokeSession(userId: string, handle: string): Promise<boolean> {
    const match = (await this.owners.sessions(userId)).find((s) => s.handle === handle);
    if (match === undefined) {
      return false;
    }
    await this.store.delete(match.key);
    await this.owners.remove(userId, [match.key]);
    return true;
  }

  /**
   * Ends every session of the user ("log out everywhere"), except the one whose handle or session
   * is given ("log out other devices"). Returns how many ended.
   */
  async revokeAllForUser(
    userId: string,
    options: { except?: string | object } = {},
  ): Promise<number> {
    const except =
      typeof options.except === 'string' ? options.except : this.handleOfSession(options.except);
    const ended = (await this.owners.sessions(userId)).filter((s) => s.handle !== except);
    for (const session of ended) {
      await this.store.delete(session.key);
    }
    await this.owners.remove(
      userId,
      ended.map((s) => s.key),
    );
    return ended.length;
  }

  /** The handle of a loaded session (undefined while it has no id). */
  handleOfSession(session: object | undefined): string | undefined {
    const id = session === undefined ? undefined : serverState(session as NamespacedSession).id;
    return id === undefined ? undefined : handleOf(storeKey(id));
  }

  /** A refresh failed (logged by the outage log): the response goes out; the cookie stays as it was. */
  private refreshFailed(state: ServerSessionState): void {
    state.refreshFailed = true;
  }

  /** `rolling`: a refreshed session re-sends a cookie that would otherwise expire. */
  private rollsCookie(): boolean {
    return this.settings.rolling && this.cookieOptions.maxAge !== undefined;
  }

  /** Nothing to keep: delete the record, and make the browser forget a cookie it holds. */
  private discard(
    session: NamespacedSession,
    state: ServerSessionState,
    ctx: CommitContext,
  ): Promise<void> | undefined {
    if (state.id === undefined) {
      this.clearCookie(state, ctx);
      return undefined;
    }
    return this.writer.remove(ctx.namespace, state.id).then(() => {
      state.id = undefined;
      this.clearCookie(state, ctx);
    });
  }

  private clearCookie(state: ServerSessionState, ctx: CommitContext): void {
    if (state.browserHasCookie && !this.vetoed(ctx)) {
      ctx.setCookie(this.cookies(ctx.namespace).serializeClear(ctx.req));
      state.browserHasCookie = false;
      state.browserHasId = false;
    }
  }

  /** Dirty, regenerated, or (with change detection) a value handed out was mutated in place. */
  private isModified(session: NamespacedSession): boolean {
    const s = session.state;
    if (s.dirty || s.regenerated) {
      return true;
    }
    return (
      this.settings.detectChanges && s.accessed && JSON.stringify(session.peekData()) !== s.baseline
    );
  }

  private vetoed(ctx: CommitContext): boolean {
    return ctx.cookieVeto(this.policy) !== undefined;
  }

  private sendCookie(
    state: ServerSessionState,
    ctx: CommitContext,
    recookie: NamespacedSession['state']['recookie'],
  ): void {
    const value = this.signer!.sign(state.id!, ctx.namespace);
    ctx.setCookie(this.cookies(ctx.namespace).serialize(ctx.req, value, recookie));
    state.browserHasId = true;
    state.browserHasCookie = true;
    state.rotated = false;
  }

  private assertAttached(session: NamespacedSession): ServerSessionState {
    const state = serverState(session);
    if (state.detached) {
      throw new SessionStoreError(
        session.namespace,
        this.store.name,
        'set',
        new Error('the store was unavailable when this session was loaded (fail-open)'),
      );
    }
    return state;
  }

  private newId(namespace: string): string {
    const id = this.idGenerator();
    if (!isPlausibleSessionId(id)) {
      throw new SessionConfigurationError(
        `Namespace "${namespace}": idGenerator returned a value that is not 22 to 128 characters of [A-Za-z0-9_-]. Return base64url text of at least 16 random bytes, e.g. crypto.randomBytes(32).toString('base64url').`,
      );
    }
    return id;
  }

  private cookies(namespace: string): CookieWriter {
    this.cookieWriter ??= new CookieWriter(namespace, this.cookieOptions);
    return this.cookieWriter;
  }

  private makeSigner(salt: string): Signer | undefined {
    // A bad secret or algorithm is reported by validate(), with the namespace in the message.
    if (secretProblem(this.secrets) !== undefined) {
      return undefined;
    }
    try {
      return new Signer(this.secrets, this.hashAlgorithm, salt);
    } catch {
      return undefined;
    }
  }
}
