import { Logger } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import type {
  SessionFactory,
  SessionRequest,
  SessionResponse,
} from '../factories/session-factory.interface';
import type { NamespaceDirectory } from './namespace-directory';
import type { NamespacedSession } from '../session/session';
import type { SessionBackend } from '../session/session-backend.interface';
import { addVaryCookie, addVaryHeader, readCookies, type RequestCookies } from './cookie-io';
import type { PendingHeaders } from './commit-context';
import { commitMounted, needsCommit } from './commit-run';
import { invalidateEvery, regenerateEvery } from './every-namespace';
import { answerCommitFailure } from './failure-answer';
import { httpBackend } from './http-session-backend';
import { ResponseNet, type NetOwner } from './response-net';
import { toHttpError } from './session-store-unavailable.exception';
import { UnknownNamespaceError } from './unknown-namespace.error';

const logger = new Logger('SessionMulti');

/**
 * The request's sessions, at `req.sessionMulti` (also injected by `@Sessions()`). Nothing is
 * decoded or fetched until `get(ns)` asks for a namespace; each namespace is mounted at most once
 * per request, and a discriminator's `null` is cached too.
 *
 * The container is the one owner of a request's session state (mounts, the commit in flight,
 * operations not awaited, whether the safety net is armed), so the code that changes that state
 * lives here; the commit of the mounted sessions (`commit-run.ts`), the every-namespace
 * operations, the backend wrapper and the failure answer have files of their own.
 *
 * @publicApi
 */
export class SessionContainer implements NetOwner {
  /** Each namespace asked for: its session or `null` once known, a promise while it loads. */
  private readonly mounts = new Map<string, Mount>();
  private readonly mounted = new Map<string, NamespacedSession | null>();
  private cookieJar: RequestCookies | undefined;
  private lateCheck = false;
  private readonly afterCommit = (): void => this.changedAfterCommit();
  /** A commit whose store calls are still in flight (the next one waits for it). */
  private pending: Promise<void> | undefined;
  /** `invalidateAll()` / `regenerateAll()` calls the commit has not waited for yet. */
  private readonly operations: Promise<unknown>[] = [];
  private netArmed = false;
  /**
   * The commit interceptor runs a route whose response Nest writes: it commits before the
   * response, so the net is armed only if a session changes after that commit.
   */
  private netDeferred = false;
  private varied = false;
  private droppedWarned = false;
  /** The commit interceptor saw this request (see `exception` rules in the README). @internal */
  interceptorEntered = false;
  /** The handler, a pipe or an interceptor threw. @internal */
  exceptionSeen = false;
  /** Fastify's reply, whose headers override the Node response's when it sends. @internal */
  pendingHeaders: PendingHeaders | undefined;

  constructor(
    private readonly registry: NamespaceDirectory,
    readonly req: SessionRequest,
    readonly res: SessionResponse,
  ) {}

  /** Every registered namespace (loaded or not). */
  get namespaces(): string[] {
    return this.registry.namespaces;
  }

  /** True once `get(ns)` has mounted the namespace on this request (a session or `null`). */
  isLoaded(namespace: string): boolean {
    return this.mounted.has(namespace);
  }

  /** The namespace's session (loading it on first use), or `null` when its discriminator said no. */
  get<T extends object = Record<string, unknown>>(
    namespace: string,
  ): Promise<NamespacedSession<T> | null> {
    const mount = this.load(namespace);
    return (
      isPromiseLike(mount) ? mount : Promise.resolve(mount)
    ) as Promise<NamespacedSession<T> | null>;
  }

  /**
   * The namespace's session, or `null`, as soon as it is known: the session itself when the
   * load needed no store call (a cookie session), a promise otherwise. `@Session()` hands this to
   * Nest, which awaits only a promise.
   * @internal
   */
  load(namespace: string): Mount {
    let mount = this.mounts.get(namespace);
    if (mount === undefined) {
      mount = this.mount(namespace);
      this.mounts.set(namespace, mount);
    }
    return mount;
  }

  /**
   * Invalidates every namespace (loading those not yet loaded). Safe without `await`: the
   * commit waits for it, and a store failure answers 503.
   */
  invalidateAll(): Promise<void> {
    return this.track(invalidateEvery(this));
  }

  /**
   * Gives every namespace holding data a new id (server-side) or a re-issued cookie, deleting the
   * old records: call it at login so no pre-login id stays valid. Safe without `await`.
   */
  regenerateAll(): Promise<void> {
    return this.track(regenerateEvery(this));
  }

  private track(operation: Promise<void>): Promise<void> {
    operation.catch(() => undefined);
    this.operations.push(operation);
    // Called after the interceptor's commit (an exception filter, a `@Res()` handler): the
    // response waits for the operation before its headers go.
    if (!this.netArmed && !this.netDeferred) {
      this.armNet();
    }
    return operation;
  }

  /** True when a mounted session has something the response may need to carry. @internal */
  needsCommit(): boolean {
    return needsCommit(this.mounted, this.operations);
  }

  /**
   * Commits every mounted session: each factory decides whether to write, refresh, re-issue or
   * clear. Calls are serialised, and committing twice is harmless. The store writes finish before
   * this resolves, so the next request reads what this one wrote.
   * @internal
   */
  commit(exception: boolean): Promise<void> {
    try {
      return this.commitNow(exception) ?? Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * The commit interceptor starts on this request. With `deferNet`, the route's response is
   * written by Nest after the interceptor's commit, so the safety net is not armed for it.
   * @internal
   */
  enterInterceptor(deferNet: boolean): void {
    this.interceptorEntered = true;
    if (deferNet && !this.netArmed) {
      this.netDeferred = true;
    }
  }

  /**
   * The commit interceptor is done (committed, or unsubscribed early): whatever still needs a
   * commit from here on goes through the safety net.
   * @internal
   */
  leaveInterceptor(): void {
    if (this.netDeferred) {
      this.netDeferred = false;
      if (this.mounted.size > 0 && this.needsCommit()) {
        this.armNet();
      }
    }
  }

  /**
   * The commit interceptor's commit: undefined when it was decided synchronously (nothing to
   * wait for), a promise while store calls are in flight. Throws what a synchronous commit threw.
   * @internal
   */
  commitForResponse(exception: boolean): Promise<void> | undefined {
    return this.commitNow(exception);
  }

  /** The safety net's commit: decides whether the request ended in an exception. @internal */
  commitBeforeHeaders(): Promise<void> | undefined {
    // Without the interceptor (guards, @Res() without it, filters), an error status means the
    // response comes from exception handling.
    const exception =
      this.exceptionSeen || (!this.interceptorEntered && this.res.statusCode >= 400);
    return this.commitNow(exception);
  }

  /**
   * Commits now, or after a commit still in flight. Returns a promise only while store calls are
   * pending; a commit decided synchronously (a read that writes nothing, a cookie session)
   * returns undefined, so the response gate need not hold the response. Throws what a
   * synchronous commit threw.
   */
  private commitNow(exception: boolean): Promise<void> | undefined {
    const pending = this.pending;
    const run =
      pending === undefined
        ? this.commitAll(exception)
        : pending.then(() => this.commitAll(exception));
    if (run === undefined) {
      return undefined;
    }
    const done = (): void => {
      if (this.pending === settled) {
        this.pending = undefined;
      }
    };
    const settled: Promise<void> = run.then(done, done);
    this.pending = settled;
    return run;
  }

  private commitAll(exception: boolean): Promise<void> | undefined {
    return commitMounted(this, this.registry, this.mounted, this.operations, exception, logger);
  }

  private mount(namespace: string): Mount {
    const reg = this.registry.registration(namespace);
    if (reg === undefined) {
      return Promise.reject(new UnknownNamespaceError(namespace, this.registry.namespaces));
    }
    if (reg.discriminator === undefined) {
      return this.attach(namespace, reg.factory);
    }
    let verdict: boolean | Promise<boolean>;
    try {
      verdict = reg.discriminator(this.req);
    } catch (error) {
      return Promise.reject(error);
    }
    if (!isPromiseLike(verdict)) {
      return this.decide(namespace, reg.factory, verdict);
    }
    return verdict.then((mountIt) => this.decide(namespace, reg.factory, mountIt));
  }

  private decide(namespace: string, factory: SessionFactory, mountIt: boolean): Mount {
    if (mountIt) {
      return this.attach(namespace, factory);
    }
    this.mounted.set(namespace, null);
    this.registry.observer?.mounted(this, namespace, null);
    return null;
  }

  private attach(
    namespace: string,
    factory: SessionFactory,
  ): NamespacedSession | Promise<NamespacedSession> {
    this.vary(factory);
    if (!this.netArmed && !this.netDeferred) {
      this.armNet();
    }
    this.cookieJar ??= readCookies(this.req);
    let loaded: NamespacedSession | Promise<NamespacedSession>;
    try {
      loaded = factory.load(this.cookieJar.loadContext(namespace, this.req));
    } catch (error) {
      return Promise.reject(toHttpError(error));
    }
    if (!isPromiseLike(loaded)) {
      return this.adopt(namespace, loaded);
    }
    return Promise.resolve(loaded).then(
      (session) => this.adopt(namespace, session),
      (error: unknown) => {
        throw toHttpError(error);
      },
    );
  }

  /**
   * The response now depends on what carries the namespace's id: `Vary: Cookie`, or the header
   * of a header transport. A query transport's id is in the URL, which caches key on already.
   */
  private vary(factory: SessionFactory): void {
    const transport = factory.idTransport;
    if (transport === undefined || transport.kind === 'cookie') {
      if (!this.varied) {
        this.varied = true;
        if (!this.res.headersSent) {
          addVaryCookie(this.res);
        }
      }
    } else if (transport.kind === 'header' && !this.res.headersSent) {
      addVaryHeader(this.res, transport.name);
    }
  }

  private adopt(namespace: string, session: NamespacedSession): NamespacedSession {
    (session as { backend: SessionBackend }).backend = httpBackend(session.backend);
    session.state.afterCommit = this.afterCommit;
    this.mounted.set(namespace, session);
    this.registry.observer?.mounted(this, namespace, session);
    const sent = this.netArmed ? ResponseNet.headersSent(this.res) : this.res.headersSent;
    if (sent || this.pending !== undefined) {
      // Loaded after sending, or while a commit is in flight that does not include it.
      this.checkLate();
    }
    return session;
  }

  /** Arms the safety net (unless the response has left already). */
  private armNet(): void {
    this.netArmed = true;
    if (!this.res.headersSent) {
      ResponseNet.arm(this.res, this);
    }
  }

  /**
   * A session was read or changed after its commit: the net commits it before the headers go
   * (armed now if the interceptor's commit was to be the only one), or the late check reports it.
   */
  private changedAfterCommit(): void {
    if (!this.netArmed && !this.netDeferred) {
      this.armNet();
    }
    this.checkLate();
  }

  /**
   * The net's commit failed before anything was sent: answer with the failure's status (503 for
   * a store outage) in Nest's error shape. Cookies of namespaces that committed are kept.
   * @internal
   */
  answerFailure(res: ServerResponse, error: unknown): void {
    answerCommitFailure(res, error, logger);
  }

  /** @internal */
  warnDropped(name: string): void {
    if (!this.droppedWarned) {
      this.droppedWarned = true;
      logger.warn(
        `res.${name}() was called after the response had ended (while its session commit was in flight); the call was dropped.`,
      );
    }
  }

  /**
   * A session changed after the response left cannot be saved: say so (the commit's cookie veto
   * logs the warning and writes nothing). Checked once the handler's current step has run, and
   * only when something happened after a commit (no listener on every response).
   */
  private checkLate(): void {
    if (this.lateCheck) {
      return;
    }
    this.lateCheck = true;
    const check = (): void => {
      this.lateCheck = false;
      // Before the headers, the response gate commits the change as usual.
      if (ResponseNet.headersSent(this.res) && this.needsCommit()) {
        this.commit(false).catch((error: unknown) =>
          logger.error('Session commit after the response failed.', String(error)),
        );
      }
    };
    // After a commit in flight (the gate may commit the change when it releases the response).
    const after = this.pending ?? Promise.resolve();
    void after.then(() => setImmediate(check));
  }
}

/** A namespace's mount: known at once, or still loading. @internal */
export type Mount = NamespacedSession | null | Promise<NamespacedSession | null>;

function isPromiseLike<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | undefined)?.then === 'function';
}
