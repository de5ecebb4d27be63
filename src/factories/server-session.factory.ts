import { hashAlgorithmProblem, type Signer } from '../crypto/signer';
import { secretProblem, toSecretList } from '../crypto/secret';
import { generateSessionId } from '../crypto/session-id';
import type { NamespacedSession } from '../session/session';
import { JSON_SERIALIZER } from '../session/serializer';
import { SessionConfigurationError } from '../session/session-configuration.error';
import { SessionStoreError } from '../stores/session-store.error';
import type { SessionStore } from '../stores/session-store.interface';
import { LoggerSlot, type SessionLogger } from './session-logger';
import { OutageLog } from './outage-log';
import { OwnerIndex, type OwnedSession } from './owner-index';
import {
  resolveCookieOptions,
  resolveCookiePolicy,
  type ResolvedCookieOptions,
} from './cookie-options';
import type {
  CommitContext,
  LoadContext,
  SessionFactory,
  SessionHooks,
} from './session-factory.interface';
import {
  attachedState,
  serverState,
  ServerSessionBackend,
  type ServerSessionState,
} from './server-session-backend';
import { ServerSessionCommit } from './server-session-commit';
import { ServerSessionLoader } from './server-session-loader';
import { ServerSessionOwners } from './server-session-owners';
import {
  resolveServerSettings,
  type ServerSessionOptions,
  type ServerSessionSettings,
} from './server-session.options';
import { ServerSessionWriter } from './server-session-writer';
import { describeServerSession } from './server-session-describe';
import { checkedSessionId, signerOrUndefined } from './server-session-ids';
import { createIdCarrier } from './transports/create-id-carrier';
import { cookieTransport, type SessionIdTransport } from './transports/session-id-transport';

/**
 * Server-side sessions: the client holds only a signed id (in a cookie, or in a header or query
 * parameter with the `transport` option), the data lives in a {@link SessionStore} under a hash
 * of the id. pyramid_session_redis's semantics (lazy creation, collision-safe ids, timeouts with a
 * store TTL and/or an expiry in the payload, `timeoutTrigger`, LRU mode, change detection, empty
 * sessions deleted), with its defects fixed: a read never rewrites an unchanged payload just
 * because time passed, a vetoed cookie writes nothing, and visitors without a cookie are not
 * reported as invalid unless asked.
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
  /** The id cookie's name; empty with a header or query transport. */
  readonly cookieName: string;
  readonly cookieOptions: Readonly<ResolvedCookieOptions>;
  readonly idTransport: SessionIdTransport;
  /** The store this namespace uses. */
  /** Applications using the factory now (see open()). */
  private users = 0;
  readonly store: SessionStore;
  private readonly settings: ServerSessionSettings;
  private readonly secrets: Buffer[];
  private readonly signer: Signer | undefined;
  private readonly idGenerator: () => string;
  private readonly hashAlgorithm: string;
  private readonly loader: ServerSessionLoader;
  private readonly committer: ServerSessionCommit;
  private readonly owners: ServerSessionOwners;
  private readonly logger: LoggerSlot;

  constructor(options: ServerSessionOptions) {
    this.logger = new LoggerSlot(options.logger);
    this.idTransport = options.transport ?? cookieTransport();
    this.cookieName = this.idTransport.kind === 'cookie' ? options.cookieName! : '';
    this.cookieOptions = resolveCookieOptions({ ...options, cookieName: this.cookieName });
    this.store = options.store;
    this.settings = resolveServerSettings(options);
    this.secrets = toSecretList(options.secret);
    const hooks: SessionHooks = {
      ...options,
      cookieOnException: options.cookieOnException ?? true,
    };
    this.idGenerator = options.idGenerator ?? generateSessionId;
    this.hashAlgorithm = options.hashAlgorithm ?? 'sha512';
    this.signer = this.makeSigner(options.salt ?? 'nestjs-session-multi.server.');
    const serializer = options.serializer ?? JSON_SERIALIZER;
    const outage = new OutageLog(
      String(this.store?.name ?? 'store'),
      this.logger,
      this.settings.failOpen,
    );
    const writer = new ServerSessionWriter(
      this.store,
      this.settings,
      serializer,
      (ns) => this.newId(ns),
      outage,
    );
    this.owners = new ServerSessionOwners(
      this.store,
      new OwnerIndex(this.store, serializer),
      writer,
    );
    const carrier = createIdCarrier(
      this.settings.problem === undefined ? this.idTransport : cookieTransport(),
      this.cookieOptions,
      this.logger,
    );
    const backend = new ServerSessionBackend({
      create: (session) => writer.create(session, attachedState(session, this.store.name)),
      remove: (session, id) => writer.remove(session.namespace, id),
      retire: (session, oldId, loaded, newId) =>
        writer.retire(session, serverState(session), oldId, loaded, newId),
      reindex: (session, oldId, newId) => this.owners.reindex(session, oldId, newId),
    });
    const signer = (): Signer => this.signer!;
    this.loader = new ServerSessionLoader({
      carrier,
      signer,
      store: this.store,
      settings: this.settings,
      serializer,
      hooks,
      backend,
      writer,
      logger: this.logger,
      outage,
    });
    this.committer = new ServerSessionCommit({
      settings: this.settings,
      writer,
      owners: this.owners,
      policy: resolveCookiePolicy(hooks, this.cookieOptions),
      carrier,
      signer,
      hasMaxAge: this.cookieOptions.maxAge !== undefined,
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
   * Returns a promise only when a store call is needed; a read that changes nothing is decided
   * synchronously, so the response is not held for it.
   */
  commit(session: NamespacedSession, ctx: CommitContext): Promise<void> | undefined {
    const state = serverState(session);
    if (state.detached || state.failed) {
      return undefined;
    }
    let pending: Promise<void> | undefined;
    try {
      pending = this.committer.persist(session, state, ctx);
    } catch (error) {
      return this.commitFailed(state, error);
    }
    return pending?.catch((error: unknown) => this.commitFailed(state, error));
  }

  /** A failed commit: thrown on (503 / 500), or logged and dropped under `fail-open`. */
  private commitFailed(state: ServerSessionState, error: unknown): undefined {
    // The error response commits again; it must not repeat the failed store calls.
    state.failed = true;
    if (error instanceof SessionStoreError && this.settings.failOpen) {
      // Logged once per outage by the outage log.
      return undefined;
    }
    throw error;
  }

  describe(): Record<string, unknown> {
    return describeServerSession(this.settings, this.idTransport, this.cookieOptions, {
      store: this.store.name,
      hashAlgorithm: this.hashAlgorithm,
      secrets: this.secrets.length,
    });
  }

  useLogger(logger: SessionLogger): void {
    this.logger.useDefault(logger);
  }

  /** An application starts using the factory: the store opens again if an earlier one closed it. */
  open(): void {
    this.users++;
    if (this.users === 1) {
      this.store.open?.();
    }
  }

  /**
   * Closes the store once no application uses the factory any more; a store closes only what it
   * opened itself (never a client passed in).
   */
  async close(): Promise<void> {
    if (this.users > 0) {
      this.users--;
    }
    if (this.users === 0) {
      await this.store.close?.();
    }
  }

  /**
   * The signed id as the transport carries it (cookie value, header value, query parameter
   * value), or undefined while the session has no id (`await session.ensureId()` gives it one).
   * With a query transport, put it into the links the application renders.
   */
  signedIdOf(session: object): string | undefined {
    const s = session as NamespacedSession;
    const id = serverState(s).id;
    return id === undefined || this.signer === undefined
      ? undefined
      : this.signer.sign(id, s.namespace);
  }

  /**
   * The user's sessions in this namespace (bound with `session.setOwner()`), most recent first:
   * a handle, creation and last-seen times, never an id.
   */
  listSessions(userId: string): Promise<OwnedSession[]> {
    return this.owners.list(userId);
  }

  /** Ends one of the user's sessions by the handle `listSessions()` gave; false when none matched. */
  revokeSession(userId: string, handle: string): Promise<boolean> {
    return this.owners.revoke(userId, handle);
  }

  /**
   * Ends every session of the user ("log out everywhere"), except the one whose handle or session
   * is given ("log out other devices"). Returns how many ended.
   */
  revokeAllForUser(userId: string, options: { except?: string | object } = {}): Promise<number> {
    const except =
      typeof options.except === 'string' ? options.except : this.owners.handleOf(options.except);
    return this.owners.revokeAll(userId, except);
  }

  /** The handle of a loaded session (undefined while it has no id). */
  handleOfSession(session: object | undefined): string | undefined {
    return this.owners.handleOf(session);
  }

  private newId(namespace: string): string {
    return checkedSessionId(this.idGenerator(), namespace);
  }

  private makeSigner(salt: string): Signer | undefined {
    // A bad secret or algorithm is reported by validate(), with the namespace in the message.
    return secretProblem(this.secrets) === undefined
      ? signerOrUndefined(this.secrets, this.hashAlgorithm, salt)
      : undefined;
  }
}
