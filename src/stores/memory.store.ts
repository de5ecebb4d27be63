import { SessionConfigurationError } from '../session/session-configuration.error';
import { assertTtl, expiryOf, isExpired } from './store-ttl';
import type { SessionStore, StoreSetOptions } from './session-store.interface';

/**
 * Options of {@link MemoryStore}.
 *
 * @publicApi
 */
export interface MemoryStoreOptions {
  /**
   * Most entries kept at once. When a write would exceed it, the least recently used entry
   * (read or written longest ago) is evicted, so the store cannot grow without bound.
   * @default 10000
   */
  maxEntries?: number;
  /**
   * Milliseconds between sweeps that drop expired entries even when nobody reads them. The
   * timer is `unref()`'d (it never keeps the process alive) and `close()` clears it. `0`
   * disables the sweep; expired entries are then dropped on read or by eviction only.
   * @default 60000
   */
  sweepInterval?: number;
}

interface MemoryEntry {
  value: string;
  /** Epoch milliseconds, or null for no expiry (kept until evicted). */
  expiresAt: number | null;
}

const DEFAULT_MAX_ENTRIES = 10_000;
const DEFAULT_SWEEP_INTERVAL_MS = 60_000;

/**
 * Keeps session payloads in this process's memory: for tests, development and single-process
 * deployments. Bounded by `maxEntries` (least recently used first out), with expired entries
 * swept by a timer, not only on read (reliability R39). Data is lost when the process exits and
 * is not shared between processes; use {@link FileStore} or {@link RedisStore} for that.
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
  /** Insertion order is recency order: a read or write moves the key to the end. */
  private readonly entries = new Map<string, MemoryEntry>();
  private sweepTimer: NodeJS.Timeout | undefined;

  constructor(options: MemoryStoreOptions = {}) {
    this.maxEntries = positiveInteger(options.maxEntries, DEFAULT_MAX_ENTRIES, 'maxEntries', 1);
    this.sweepInterval = positiveInteger(
      options.sweepInterval,
      DEFAULT_SWEEP_INTERVAL_MS,
      'sweepInterval',
      0,
    );
    if (this.sweepInterval > 0) {
      this.sweepTimer = setInterval(() => this.sweep(), this.sweepInterval);
      // A session cache must never be the reason a process stays alive.
      this.sweepTimer.unref();
    }
  }

  /** Number of entries held, expired ones not yet swept included. */
  get size(): number {
    return this.entries.size;
  }

  get(key: string): Promise<string | undefined> {
    return settle(() => this.read(key)?.value);
  }

  getAndTouch(key: string, ttl: number): Promise<string | undefined> {
    return settle(() => {
      assertTtl(ttl);
      const entry = this.read(key);
      if (entry === undefined) {
        return undefined;
      }
      if (ttl <= 0) {
        // Expiring now: the record is gone, as with the other stores.
        this.entries.delete(key);
        return undefined;
      }
      entry.expiresAt = expiryOf(ttl);
      return entry.value;
    });
  }

  set(key: string, value: string, options: StoreSetOptions = {}): Promise<boolean> {
    return settle(() => {
      const { ttl, onlyIfAbsent = false } = options;
      if (ttl !== undefined) {
        assertTtl(ttl);
      }
      if (onlyIfAbsent && this.read(key) !== undefined) {
        return false;
      }
      this.entries.delete(key);
      if (ttl !== undefined && ttl <= 0) {
        // Already expired: nothing is stored, and the old entry (if any) is gone.
        return true;
      }
      this.entries.set(key, { value, expiresAt: expiryOf(ttl) });
      this.evictOverflow();
      return true;
    });
  }

  touch(key: string, ttl: number): Promise<void> {
    return settle(() => {
      assertTtl(ttl);
      const entry = this.read(key);
      if (entry === undefined) {
        return;
      }
      if (ttl <= 0) {
        this.entries.delete(key);
      } else {
        entry.expiresAt = expiryOf(ttl);
      }
    });
  }

  delete(key: string): Promise<void> {
    return settle(() => {
      this.entries.delete(key);
    });
  }

  /** Drops every expired entry now; the timer calls this every `sweepInterval` ms. */
  sweep(): number {
    const now = Date.now();
    let removed = 0;
    for (const [key, entry] of this.entries) {
      if (isExpired(entry.expiresAt, now)) {
        this.entries.delete(key);
        removed++;
      }
    }
    return removed;
  }

  /** Stops the sweep timer. Entries stay readable; expired ones are then dropped on read only. */
  close(): Promise<void> {
    if (this.sweepTimer !== undefined) {
      clearInterval(this.sweepTimer);
      this.sweepTimer = undefined;
    }
    return Promise.resolve();
  }

  /** The live entry for a key, marked as most recently used; expired entries are dropped. */
  private read(key: string): MemoryEntry | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) {
      return undefined;
    }
    this.entries.delete(key);
    if (isExpired(entry.expiresAt, Date.now())) {
      return undefined;
    }
    this.entries.set(key, entry);
    return entry;
  }

  private evictOverflow(): void {
    for (const key of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) {
        return;
      }
      this.entries.delete(key);
    }
  }
}

/** Runs a synchronous operation as a store call: a throw becomes a rejection. */
function settle<T>(operation: () => T): Promise<T> {
  // The executor turns a throw into a rejection.
  return new Promise<T>((resolve) => resolve(operation()));
}

function positiveInteger(value: number | undefined, fallback: number, name: string, min: number) {
  if (value === undefined) {
    return fallback;
  }
  if (!Number.isInteger(value) || value < min) {
    throw new SessionConfigurationError(
      `MemoryStore: ${name} is ${String(value)}; it must be an integer of at least ${min}. Fix the ${name} option.`,
    );
  }
  return value;
}
