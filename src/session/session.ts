import { assertJsonValue, isReservedKey } from './json-value';
import { SessionUnsupportedError, SessionValueError } from './session-multi.error';
import type { PreparedRegeneration, SessionBackend } from './session-backend.interface';
import type { SessionInit } from './session-init.interface';
import { markInvalidated, newSessionState, type SessionState } from './session-state';
import {
  markAccessed,
  markDirty,
  markHeldByCaller,
  markRead,
  markReadAll,
  noteLateChange,
  trackOperation,
} from './change-tracking';
import { prepareRegeneration } from './session-regeneration';
import { sessionMessages } from './session.messages';
import { flash, peekFlash, popFlash, type FlashOptions } from './flash';
import { getCsrfToken, newCsrfToken } from './csrf';

type Data = Record<string, unknown>;
type Key<T> = Extract<keyof T, string>;

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
      markRead(this.state, this._data, undefined);
      return fallback;
    }
    const value = this._data[key];
    markRead(this.state, this._data, value);
    return value;
  }

  has(key: Key<T>): boolean {
    markRead(this.state, this._data, undefined);
    return Object.hasOwn(this._data, key);
  }

  keys(): Key<T>[] {
    markRead(this.state, this._data, undefined);
    return Object.keys(this._data) as Key<T>[];
  }

  values(): T[Key<T>][] {
    const values = Object.values(this._data);
    markReadAll(this.state, this._data, values);
    return values as T[Key<T>][];
  }

  entries(): [Key<T>, T[Key<T>]][] {
    const entries = Object.entries(this._data);
    markReadAll(this.state, this._data, Object.values(this._data));
    return entries as [Key<T>, T[Key<T>]][];
  }

  /** Number of keys. */
  get size(): number {
    markRead(this.state, this._data, undefined);
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
    markDirty(this.state);
    markHeldByCaller(this.state, value);
    return this;
  }

  delete(key: Key<T>): boolean {
    const had = Object.hasOwn(this._data, key);
    if (had) {
      delete this._data[key];
      markDirty(this.state);
    }
    return had;
  }

  clear(): void {
    if (Object.keys(this._data).length > 0) {
      this._data = {};
      markDirty(this.state);
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
      markHeldByCaller(this.state, value);
    }
    markDirty(this.state);
    return this;
  }

  /** Removes `key` and returns its value, or `fallback` when absent. */
  pop<K extends Key<T>>(key: K, fallback?: T[K]): T[K] | undefined {
    if (!Object.hasOwn(this._data, key)) {
      return fallback;
    }
    const value = this._data[key] as T[K];
    delete this._data[key];
    markDirty(this.state);
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
    markDirty(this.state);
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
    markInvalidated(this.state);
    return trackOperation(
      this.state,
      // After the delete: a late commit must not race it (it would delete the record again).
      this.backend.invalidate(this as NamespacedSession).then(() => noteLateChange(this.state)),
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
    markDirty(this.state);
    return trackOperation(this.state, this.backend.regenerate(this as NamespacedSession));
  }

  /** The first half of `regenerate()`, for `regenerateAll()`. @internal */
  prepareRegenerate(): Promise<PreparedRegeneration> {
    return prepareRegeneration(this as NamespacedSession);
  }

  /** Server-side sessions: creates the id now (writing the record) and returns it. */
  ensureId(): Promise<string> {
    return trackOperation(this.state, this.backend.ensureId(this as NamespacedSession));
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
      throw new SessionValueError(sessionMessages.badOwner(userId));
    }
    if (this.backend.setOwner === undefined) {
      throw new SessionUnsupportedError(sessionMessages.ownerUnsupported(this.namespace));
    }
    this.backend.setOwner(this as NamespacedSession, userId);
    markDirty(this.state);
  }

  /** Sets a per-session idle timeout, in seconds, stored with the session. */
  adjustTimeout(seconds: number): void {
    if (!Number.isInteger(seconds) || seconds <= 0) {
      throw new RangeError(sessionMessages.badTimeout(seconds));
    }
    this.state.timeout = seconds;
    markDirty(this.state);
  }

  /** Sets a fixed expiry for this session, in epoch seconds. */
  adjustExpires(epochSeconds: number): void {
    if (!Number.isFinite(epochSeconds)) {
      throw new RangeError(sessionMessages.badExpires(epochSeconds));
    }
    this.state.expires = Math.floor(epochSeconds);
    markDirty(this.state);
  }

  /** Re-sends the cookie on this response, optionally with another `maxAge` (s) or `expires`. */
  recookie(overrides: { maxAge?: number; expires?: Date } = {}): void {
    this.state.recookie = { ...overrides };
    noteLateChange(this.state);
  }

  // ---- flash and CSRF ------------------------------------------------------------------------

  /** Appends `message` to a flash queue (default queue `''`). */
  flash(message: unknown, options: FlashOptions = {}): void {
    // A duplicate refused by allowDuplicate: false changes nothing, so nothing is written.
    if (flash(this._data, message, options)) {
      markDirty(this.state);
      markHeldByCaller(this.state, message);
    }
  }

  /** Returns and empties a flash queue. */
  popFlash(queue = ''): unknown[] {
    // Popping an empty queue changes nothing, so only a real pop marks the session dirty.
    // The queue returned is taken out of the data: nothing that stays in the session leaves.
    markRead(this.state, this._data, undefined);
    return popFlash(this._data, queue, () => markDirty(this.state));
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
    markRead(this.state, this._data, undefined);
    return getCsrfToken(this._data, () => markDirty(this.state));
  }

  // ---- for factories -------------------------------------------------------------------------

  /**
   * The data object itself, for factories and the flash/CSRF helpers.
   * @internal
   */
  rawData(forWrite: boolean): Data {
    if (forWrite) {
      markDirty(this.state);
    } else {
      markAccessed(this.state, this._data);
    }
    return this._data;
  }

  /** The data, without counting as a read: for a factory's `commit()` and the debug panel. */
  peekData(): Readonly<Data> {
    return this._data;
  }

  /**
   * The data as a factory's commit writes it. Once a value was handed out (an object read or
   * set), code may have changed it in place, past `set()`'s checks: it is checked again here, so
   * a `Date`, `Map` or cycle put in place fails the commit with a `SessionValueError` instead of
   * being stored as something else. @internal
   */
  dataToWrite(): Readonly<Data> {
    if (this.state.exposed) {
      for (const key of Object.keys(this._data)) {
        assertJsonValue(this._data[key], key);
      }
    }
    return this._data;
  }

  /**
   * `serialize(data)` for a commit's change check: a value put in place that JSON cannot take (a
   * `BigInt`, a cycle) fails with the `SessionValueError` `set()` would have thrown rather than
   * JSON's own `TypeError`. @internal
   */
  serializeData<R>(serialize: (data: Readonly<Data>) => R): R {
    try {
      return serialize(this._data);
    } catch (error) {
      this.dataToWrite();
      throw error;
    }
  }

  /**
   * Replaces the data with what the store now holds after a merged write-back; not a change of
   * this request's own. @internal
   */
  adoptData(data: Record<string, unknown>): void {
    this._data = data;
  }

  /** True when the session holds no key. Does not count as a read. */
  isEmpty(): boolean {
    for (const _ in this._data) {
      return false;
    }
    return true;
  }

  private assertKey(key: string): void {
    if (typeof key !== 'string' || isReservedKey(key)) {
      throw new SessionValueError(sessionMessages.reservedKey(key));
    }
  }
}
