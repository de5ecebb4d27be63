/** Options of {@link SessionStore.set}. @publicApi */
export interface StoreSetOptions {
  /** Time to live in seconds; undefined stores without expiry (LRU mode). */
  ttl?: number;
  /** Write only when the key does not exist yet (Redis `NX`); `set` then resolves false on a clash. */
  onlyIfAbsent?: boolean;
  /** Write only when the key exists (Redis `XX`): a deleted record is never recreated; `set` then resolves false. */
  onlyIfPresent?: boolean;
}

/**
 * Outcome of {@link SessionStore.replace}.
 *
 * - `written`: the record held the expected payload and now holds the new one.
 * - `missing`: no live record under the key (deleted, regenerated, revoked or expired); nothing
 *   was written, so a session ended while a request was in flight is never recreated.
 * - `conflict`: the record changed since it was read; nothing was written, and `current` is the
 *   payload the store holds now.
 *
 * @publicApi
 */
export type ReplaceResult =
  { status: 'written' } | { status: 'missing' } | { status: 'conflict'; current: string };

/** Options of {@link SessionStore.replace}. @publicApi */
export interface StoreReplaceOptions {
  /** Time to live in seconds, as in {@link SessionStore.set}: undefined = no expiry, ≤ 0 = delete. */
  ttl?: number;
  /** `payloadFingerprint()` of the payload the caller read and expects the record to still hold. */
  expected: string;
}

/**
 * Where server-side sessions keep their payloads. Keys are already hashed from the session id
 * by the factory (`storeKey(id)`), so no store ever sees a raw id; stores add their own prefix.
 * Every method rejects with the underlying error on failure; the factory wraps it in a
 * `SessionStoreError` naming the namespace, store and operation.
 *
 * @publicApi
 */
export interface SessionStore {
  /** Short name used in errors and the debug panel, e.g. 'RedisStore'. */
  readonly name: string;
  /** The stored payload, or undefined when absent or expired. */
  get(key: string): Promise<string | undefined>;
  /** Reads and resets the TTL in one round trip (Redis `GETEX key EX ttl`). Optional. */
  getAndTouch?(key: string, ttl: number): Promise<string | undefined>;
  /** Writes a payload; resolves false only when `onlyIfAbsent` was set and the key existed. */
  set(key: string, value: string, options: StoreSetOptions): Promise<boolean>;
  /** Resets the TTL of an existing key, in seconds, without rewriting it. */
  touch(key: string, ttl: number): Promise<void>;
  /** Deletes a key (absent keys are fine). */
  delete(key: string): Promise<void>;
  /**
   * Writes `value` only when the record under `key` still holds exactly the payload whose
   * fingerprint is `expected` (see `payloadFingerprint()`), atomically; TTL as in set().
   * A missing or expired record is never recreated. Optional: stores without it cannot detect
   * concurrent writes, and callers fall back to `set`.
   *
   * @see payloadFingerprint
   */
  replace?(key: string, value: string, options: StoreReplaceOptions): Promise<ReplaceResult>;
  /**
   * Number of records held. Optional, for admin pages and tests; it may count records that
   * expired but were not removed yet (each store documents what it counts), and it does not
   * block the event loop however many records there are.
   */
  length?(): Promise<number>;
  /** Removes every record of this store (only its own prefix or files). Optional. */
  clear?(): Promise<void>;
  /** Releases what the store opened itself (connections, timers, file handles). */
  close?(): Promise<void>;
  /**
   * Makes a closed store usable again (it opens what `close()` released). Called when an
   * application starts using the store's factory. Optional.
   */
  open?(): void;
  /**
   * Adds `member` to the set under `indexKey` (hashed by the caller, prefixed by the store like
   * other keys), e.g. a user's session keys for revocation. A `ttl` (seconds) may lengthen the
   * set's lifetime but never shortens it; without one the set never expires. Optional.
   */
  indexAdd?(indexKey: string, member: string, ttl?: number): Promise<void>;
  /** The members of the set under `indexKey`; empty when there is none. Optional. */
  indexMembers?(indexKey: string): Promise<string[]>;
  /** Removes `members` from the set under `indexKey` (absent ones are fine). Optional. */
  indexRemove?(indexKey: string, members: string[]): Promise<void>;
}
