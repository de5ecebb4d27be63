import { memoryStoreSettings, type MemoryStoreOptions } from './memory-store-options';
import { payloadFingerprint } from './payload-fingerprint';
import { MemoryEntries } from './memory-entries';
import type {
  ReplaceResult,
  SessionStore,
  StoreReplaceOptions,
  StoreSetOptions,
} from './session-store.interface';
import { SliceRunner } from './slice-runner';
import { assertTtl, expiryOf } from './store-ttl';

// The options live beside their checks; the public barrel takes them from here with the store.
export type { MemoryStoreOptions } from './memory-store-options';

/**
 * Entries the background sweep looks at per event-loop turn: about a millisecond of work, so
 * requests wait at most that long for it, even at a million entries.
 * @internal
 */
export const SWEEP_SLICE_ENTRIES = 5_000;

/**
 * Keeps session payloads in this process's memory: for tests, development and single-process
 * deployments. Bounded by `maxEntries` (least recently used first out), with expired entries
 * swept by a timer, not only on read. Reads, writes and evictions take constant time at any size,
 * and the sweep works in slices between requests. Data is lost when the process exits and is not
 * shared between processes; use {@link FileStore} or {@link RedisStore} for that.
 *
 * @example
 * ```ts
 * new ServerSessionFactory({ secret, cookieName: 'cart', store: new MemoryStore({ maxEntries: 5000 }) });
 * ```
 * @publicApi
 */
export class MemoryStore implements SessionStore {
  readonly name = 'MemoryStore';
  readonly maxEntries: number;
  readonly sweepInterval: number;
  private readonly entries: MemoryEntries;
  private readonly sweeps = new SliceRunner();
  private sweepTimer: NodeJS.Timeout | undefined;

  constructor(options: MemoryStoreOptions = {}) {
    ({ maxEntries: this.maxEntries, sweepInterval: this.sweepInterval } =
      memoryStoreSettings(options));
    this.entries = new MemoryEntries(this.maxEntries);
    if (this.sweepInterval > 0) {
      this.sweepTimer = setInterval(() => void this.sweepInSlices(), this.sweepInterval);
      // A session cache must never be the reason a process stays alive.
      this.sweepTimer.unref();
    }
  }

  /** Number of entries held, expired ones not yet swept included. */
  get size(): number {
    return this.entries.size;
  }

  get(key: string): Promise<string | undefined> {
    return settle(() => this.entries.read(key)?.value);
  }

  getAndTouch(key: string, ttl: number): Promise<string | undefined> {
    return settle(() => {
      assertTtl(ttl);
      const entry = this.entries.read(key);
      if (entry === undefined) {
        return undefined;
      }
      if (ttl <= 0) {
        // Expiring now: the record is gone, as with the other stores.
        this.entries.remove(entry);
        return undefined;
      }
      entry.expiresAt = expiryOf(ttl);
      return entry.value;
    });
  }

  set(key: string, value: string, options: StoreSetOptions = {}): Promise<boolean> {
    return settle(() => {
      const { ttl, onlyIfAbsent = false, onlyIfPresent = false } = options;
      if (ttl !== undefined) {
        assertTtl(ttl);
      }
      if (onlyIfAbsent && this.entries.read(key) !== undefined) {
        return false;
      }
      if (onlyIfPresent && this.entries.read(key) === undefined) {
        return false;
      }
      this.entries.write(key, value, ttl);
      return true;
    });
  }

  /**
   * Writes `value` only if the live entry still holds the payload fingerprinted by `expected`.
   * The check and the write happen in one synchronous step, so nothing can come between them; an
   * expired entry counts as missing and is never brought back.
   */
  replace(key: string, value: string, options: StoreReplaceOptions): Promise<ReplaceResult> {
    return settle((): ReplaceResult => {
      const { ttl, expected } = options;
      if (ttl !== undefined) {
        assertTtl(ttl);
      }
      const entry = this.entries.read(key);
      if (entry === undefined) {
        return { status: 'missing' };
      }
      if (payloadFingerprint(entry.value) !== expected) {
        return { status: 'conflict', current: entry.value };
      }
      this.entries.write(key, value, ttl);
      return { status: 'written' };
    });
  }

  touch(key: string, ttl: number): Promise<void> {
    return settle(() => {
      assertTtl(ttl);
      const entry = this.entries.read(key);
      if (entry === undefined) {
        return;
      }
      if (ttl <= 0) {
        this.entries.remove(entry);
      } else {
        entry.expiresAt = expiryOf(ttl);
      }
    });
  }

  delete(key: string): Promise<void> {
    return settle(() => {
      const entry = this.entries.peek(key);
      if (entry !== undefined) {
        this.entries.remove(entry);
      }
    });
  }

  /**
   * Number of live entries. It first sweeps (in slices, joining a sweep already running), so
   * only an entry that expires while the count runs can be counted.
   */
  async length(): Promise<number> {
    await this.sweepInSlices();
    return this.entries.size;
  }

  /** Removes every entry at once (the map is dropped, not walked). */
  clear(): Promise<void> {
    this.entries.clear();
    return Promise.resolve();
  }

  /**
   * Drops every expired entry now, in one go, and returns how many were removed. The timer does
   * not call this: it sweeps in slices of a few thousand entries between requests.
   */
  sweep(): number {
    this.entries.beginSweep();
    return this.entries.sweepSlice(Infinity).removed;
  }

  /** Stops the sweep timer and a sweep in progress. Entries stay readable; expired ones are then dropped on read only. */
  close(): Promise<void> {
    if (this.sweepTimer !== undefined) {
      clearInterval(this.sweepTimer);
      this.sweepTimer = undefined;
    }
    this.sweeps.stop();
    return Promise.resolve();
  }

  /** Sweeps every entry present now, a slice per event-loop turn; joins a sweep in progress. */
  private sweepInSlices(): Promise<void> {
    if (!this.sweeps.running) {
      this.entries.beginSweep();
    }
    return this.sweeps.run(() => this.entries.sweepSlice(SWEEP_SLICE_ENTRIES).done);
  }
}

/** Runs a synchronous operation as a store call: a throw becomes a rejection. */
function settle<T>(operation: () => T): Promise<T> {
  // The executor turns a throw into a rejection.
  return new Promise<T>((resolve) => resolve(operation()));
}
