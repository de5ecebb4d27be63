import { assertJsonValue, isReservedKey } from './json-value';
import { SessionUnsupportedError, SessionValueError } from './session-multi.error';
import type { PreparedRegeneration, SessionBackend } from './session-backend.interface';
import { newSessionState, type SessionState } from './session-state';
import { flash, peekFlash, popFlash, type FlashOptions } from './flash';
import { getCsrfToken, newCsrfToken } from './csrf';

type Data = Record<string, unknown>;
type Key<T> = Extract<keyof T, string>;

/** @internal */
export interface SessionInit {
  namespace: string;
  data: Data;
  created: number;
  isNew: boolean;
  backend: SessionBackend;
  /** The loaded payload's text, when the factory keeps one for change detection. */
  baseline: string | undefined;
  /**
   * No baseline yet: take `JSON.stringify(data)` when the first reference into the data is handed
   * out (server-side factories with change detection).
   */
  baselinePending?: boolean;
}

/**
 * One namespace's session for one request: Pyramid's `ISession` in TypeScript.
 *
 * Values are JSON values; `set()` refuses anything else at once. Writing marks the session dirty;
 * handing out an object or array value marks it accessed (the caller may mutate it in place, which
 * change detection then finds); the factory decides at the end of the request whether to write,
 * refresh, re-issue the cookie or do nothing.
 *
 * @publicApi
 */
export class NamespacedSession<T extends object = Record<string, unknown>> {
  /** The namespace this session was mounted under. */
  readonly namespace: string;
  /** @internal */
  readonly state: SessionState;
  /** @internal */
  readonly backend: SessionBackend;
  private _data: Data;
  private _created: number;
  private _isNew: boolean;

  constructor(init: SessionInit) {
    this.namespace = init.namespace;
    this._data = init.data;
    this._created = init.created;
    this._isNew = init.isNew;
    this.backend = init.backend;
    this.state = newSessionState(init.baseline, init.baselinePending);
  }

  /** Creation time, in epoch seconds. */
  get created(): number {
    return this._created;
  }

  /** True when the request brought no valid session for this namespace. */
  get isNew(): boolean {
    return this._isNew;
  }

  /** Server-side sessions: the id, or undefined until one is needed. Cookie sessions: undefined. */
  get id(): string | undefined {
    return this.backend.idOf(this as NamespacedSession);
  }

  // ---- reading -------------------------------------------------------------------------------

  get<K extends Key<T>>(key: K): T[K] | undefined;
  get<K extends Key<T>>(key: K, fallback: T[K]): T[K];
  get(key: string, fallback?: unknown): unknown {
    if (!Object.hasOwn(this._data, key)) {
      this.markRead(undefined);
      return fallback;
    }
    const value = this._data[key];
    this.markRead(value);
    return value;
  }

  has(key: Key<T>): boolean {
    this.markRead(undefined);
    return Object.hasOwn(this._data, key);
  }

  keys(): Key<T>[] {
    this.markRead(undefined);
    return Object.keys(this._data) as Key<T>[];
  }

  values(): T[Key<T>][] {
    const values = Object.values(this._data);
    this.markReadAll(values);
    return values as T[Key<T>][];
  }

  entries(): [Key<T>, T[Key<T>]][] {
    const entries = Object.entries(this._data);
    this.markReadAll(Object.values(this._data));
    return entries as [Key<T>, T[Key<T>]][];
  }

  /** Number of keys. */
  get size(): number {
    this.markRead(undefined);
    return Object.keys(this._data).length;
  }

  /** A deep copy of the data (what `JSON.stringify(session)` writes). */
  toJSON(): Partial<T> {
    return JSON.parse(JSON.stringify(this._data)) as Partial<T>;
  }

  // ---- writing -------------------------------------------------------------------------------

  /** Stores a JSON value; throws `SessionValueError` for anything JSON cannot round-trip. */
  set<K extends Key<T>>(key: K, value: T[K]): this {
    this.assertKey(key);
    assertJsonValue(value, key);
    this._data[key] = value;
    this.markDirty();
    this.markHeldByCaller(value);
    return this;
  }

  delete(key: Key<T>): boolean {
    const had = Object.hasOwn(this._data, key);
    if (had) {
      delete this._data[key];
      this.markDirty();
    }
    return had;
  }

  clear(): void {
    if (Object.keys(this._data).length > 0) {
      this._data = {};
      this.markDirty();
    }
  }

  /** Sets every key of `values` (like `dict.update`). */
  update(values: Partial<T>): this {
    for (const [key, value] of Object.entries(values)) {
      this.assertKey(key);
      assertJsonValue(value, key);
    }
    for (const [key, value] of Object.entries(values)) {
      this._data[key] = value;
      this.markHeldByCaller(value);
    }
    this.markDirty();
    return this;
  }

  /** Removes `key` and returns its value, or `fallback` when absent. */
  pop<K extends Key<T>>(key: K, fallback?: T[K]): T[K] | undefined {
    if (!Object.hasOwn(this._data, key)) {
      return fallback;
    }
    const value = this._data[key] as T[K];
    delete this._data[key];
    this.markDirty();
    return value;
  }

  /** Returns the value of `key`, storing `fallback` first when absent. */
  setDefault<K extends Key<T>>(key: K, fallback: T[K]): T[K] {
    if (Object.hasOwn(this._data, key)) {
      return this.get(key) as T[K];
    }
    this.set(key, fallback);
    return fallback;
  }

  /**
   * Marks the session as changed after mutating a nested value in place
   * (`session.get('cart')!.items.push(x); session.changed()`). With `detectChanges` on (the
   * default) such a mutation is found anyway by comparing payloads; calling it is still cheaper.
   */
  changed(): void {
    this.markDirty();
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  /**
   * Drops all data, deletes the server record now (server-side namespaces) and clears the cookie
   * on the response. Unlike Pyramid's cookie session, the cookie is really deleted. Data written
   * after `invalidate()` starts a new session with a new id.
   */
  invalidate(): Promise<void> {
    this._data = {};
    this._isNew = true;
    this._created = Math.floor(Date.now() / 1000);
    this.state.invalidated = true;
    this.state.dirty = false;
    this.state.timeout = undefined;
    this.state.expires = undefined;
    return this.track(
      // After the delete: a late commit must not race it (it would delete the record again).
      this.backend.invalidate(this as NamespacedSession).then(() => this.noteLateChange()),
    );
  }

  /**
   * Gives the session a new id while keeping its data, deletes the old record and re-issues the
   * cookie: call it at login or any privilege change (session fixation defence). On a cookie
   * session (no server id) it re-issues the cookie; `created` is kept, so `maxLifetime` still counts
   * from the first login.
   */
  regenerate(): Promise<void> {
    this.state.regenerated = true;
    this.markDirty();
    return this.track(this.backend.regenerate(this as NamespacedSession));
  }

  /** The first half of `regenerate()`, for `regenerateAll()`. @internal */
  prepareRegenerate(): Promise<PreparedRegeneration> {
    const state = this.state;
    const flags = { regenerated: state.regenerated, dirty: state.dirty };
    state.regenerated = true;
    this.markDirty();
    const backend = this.backend;
    const prepare =
      backend.prepareRegenerate?.(this as NamespacedSession) ??
      Promise.resolve({
        finish: () => backend.regenerate(this as NamespacedSession),
        abort: () => Promise.resolve(),
      });
    return prepare.then(
      (prepared) => ({
        finish: () => prepared.finish(),
        abort: () => {
          Object.assign(state, flags);
          return prepared.abort();
        },
      }),
      (error: unknown) => {
        Object.assign(state, flags);
        throw error;
      },
    );
  }

  /** Server-side sessions: creates the id now (writing the record) and returns it. */
  ensureId(): Promise<string> {
    return this.track(this.backend.ensureId(this as NamespacedSession));
  }

  /** Like `ensureId()`, but returns undefined for an empty session instead of creating one. */
  idSafecheck(): Promise<string | undefined> {
    return this.isEmpty() ? Promise.resolve(undefined) : this.ensureId();
  }

  /**
   * Server-side sessions: binds the session to a user, so `SessionRegistry.listSessions()` shows
   * it and `revokeAllForUser()` can end it ("log out everywhere"). Call it at login, after
   * `regenerate()`. Cookie sessions throw `SessionUnsupportedError`.
   */
  setOwner(userId: string): void {
    if (typeof userId !== 'string' || userId === '') {
      throw new SessionValueError(
        `setOwner(${JSON.stringify(userId)}): pass the user's id as a non-empty string.`,
      );
    }
    if (this.backend.setOwner === undefined) {
      throw new SessionUnsupportedError(
        `Namespace "${this.namespace}": setOwner() needs a server-side session (ServerSessionFactory, RedisSessionFactory); cookie sessions cannot be listed or revoked.`,
      );
    }
    this.backend.setOwner(this as NamespacedSession, userId);
    this.markDirty();
  }

  /** Sets a per-session idle timeout, in seconds, stored with the session. */
  adjustTimeout(seconds: number): void {
    if (!Number.isInteger(seconds) || seconds <= 0) {
      throw new RangeError(`adjustTimeout(${seconds}): pass a whole number of seconds above 0.`);
    }
    this.state.timeout = seconds;
    this.markDirty();
  }

  /** Sets a fixed expiry for this session, in epoch seconds. */
  adjustExpires(epochSeconds: number): void {
    if (!Number.isFinite(epochSeconds)) {
      throw new RangeError(`adjustExpires(${epochSeconds}): pass epoch seconds.`);
    }
    this.state.expires = Math.floor(epochSeconds);
    this.markDirty();
  }

  /** Re-sends the cookie on this response, optionally with another `maxAge` (s) or `expires`. */
  recookie(overrides: { maxAge?: number; expires?: Date } = {}): void {
    this.state.recookie = { ...overrides };
    this.noteLateChange();
  }

  // ---- flash and CSRF ------------------------------------------------------------------------

  /** Appends `message` to a flash queue (default queue `''`). */
  flash(message: unknown, options: FlashOptions = {}): void {
    flash(this.rawData(true), message, options);
    this.markHeldByCaller(message);
  }

  /** Returns and empties a flash queue. */
  popFlash(queue = ''): unknown[] {
    // Popping an empty queue changes nothing, so only a real pop marks the session dirty.
    // The queue returned is taken out of the data: nothing that stays in the session leaves.
    this.markRead(undefined);
    return popFlash(this._data, queue, () => this.markDirty());
  }

  /** Returns a flash queue without emptying it. */
  peekFlash(queue = ''): unknown[] {
    return peekFlash(this.rawData(false), queue);
  }

  /** Creates and stores a new CSRF token (64 hex characters) and returns it. */
  newCsrfToken(): string {
    return newCsrfToken(this.rawData(true));
  }

  /** Returns the stored CSRF token, creating one when absent. */
  getCsrfToken(): string {
    // A string: reading it hands out nothing that could be mutated.
    this.markRead(undefined);
    return getCsrfToken(this._data, () => this.markDirty());
  }

  // ---- for factories -------------------------------------------------------------------------

  /**
   * The data object itself, for factories and the flash/CSRF helpers.
   * @internal
   */
  rawData(forWrite: boolean): Data {
    if (forWrite) {
      this.markDirty();
    } else {
      this.markAccessed();
    }
    return this._data;
  }

  /** Data without touching the access flags (commit, debug panel). @internal */
  peekData(): Readonly<Data> {
    return this._data;
  }

  /**
   * Replaces the data with what the store now holds after a merged write-back; not a change of
   * this request's own. @internal
   */
  adoptData(data: Record<string, unknown>): void {
    this._data = data;
  }

  /** True when the session holds no key. Does not count as an access. @internal */
  isEmpty(): boolean {
    for (const _ in this._data) {
      return false;
    }
    return true;
  }

  /** A reference into the data leaves the session: change detection must compare at commit. */
  private markAccessed(): void {
    const s = this.state;
    if (s.baselinePending) {
      // Before the caller can mutate anything: what the data is now is what was loaded or
      // committed, plus changes made through the mutators (which marked the session dirty).
      s.baselinePending = false;
      s.baseline = JSON.stringify(this._data);
    }
    s.accessed = true;
    s.exposed = true;
    this.noteLateChange();
  }

  /**
   * An object or array the caller passed in now lives in the data, and the caller still holds it:
   * a mutation through it after this request's write must be compared against what was written,
   * so the write takes its baseline at once instead of waiting for a reference to leave.
   */
  private markHeldByCaller(value: unknown): void {
    if (typeof value === 'object' && value !== null) {
      this.state.exposed = true;
    }
  }

  /**
   * A read. It counts as an access when it hands out an object or array, or once any reference
   * into the data is out (`exposed`): a nested change made through that reference, say while a
   * write is in flight or after the response left, is then compared, committed again or reported,
   * as on every read. A session that never handed anything out reads scalars for free.
   */
  private markRead(value: unknown): void {
    if (this.state.exposed || (typeof value === 'object' && value !== null)) {
      this.markAccessed();
    }
  }

  private markReadAll(values: unknown[]): void {
    if (this.state.exposed) {
      this.markAccessed();
      return;
    }
    for (const value of values) {
      if (typeof value === 'object' && value !== null) {
        this.markAccessed();
        return;
      }
    }
  }

  private markDirty(): void {
    this.state.dirty = true;
    this.noteLateChange();
  }

  /**
   * Every change and every reference handed out: counted (a commit in flight then knows it must
   * not mark the session as saved), and reported once the session was committed (the container
   * checks whether the response already left).
   */
  private noteLateChange(): void {
    const s = this.state;
    s.version++;
    if (s.committed) {
      s.afterCommit?.();
    }
  }

  /**
   * A store operation started by a session method. The caller may not await it (Pyramid's
   * `invalidate()` is synchronous): the commit waits for it and its failure becomes the
   * response's error, so it is never an unhandled rejection.
   */
  private track<R>(operation: Promise<R>): Promise<R> {
    operation.catch(() => undefined);
    this.state.pending.push(operation);
    return operation;
  }

  private assertKey(key: string): void {
    if (typeof key !== 'string' || isReservedKey(key)) {
      throw new SessionValueError(
        `Session key "${String(key)}" is reserved or not a string. Use another key name.`,
      );
    }
  }
}
