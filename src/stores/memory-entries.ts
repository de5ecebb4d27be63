import { RecencyList, type RecencyLinks } from './recency-list';
import { ShardedMap } from './sharded-map';
import { expiryOf, isExpired } from './store-ttl';

/** One stored payload, linked into the recency list. @internal */
export interface MemoryEntry extends RecencyLinks<MemoryEntry> {
  key: string;
  value: string;
  /** Epoch milliseconds, or null for no expiry (kept until evicted). */
  expiresAt: number | null;
}

/**
 * The entries of a {@link MemoryStore}: a map by key plus a list from least to most recently
 * used, so reads, writes and evictions take constant time at any size. Expired entries are
 * dropped when read and by the sweep.
 *
 * @internal
 */
export class MemoryEntries {
  private readonly byKey: ShardedMap<MemoryEntry>;
  /** The same entries, least recently read or written first: the eviction order. */
  private readonly recency = new RecencyList<MemoryEntry>();

  constructor(private readonly maxEntries: number) {
    this.byKey = new ShardedMap(maxEntries);
  }

  /** Number of entries held, expired ones not yet swept included. */
  get size(): number {
    return this.byKey.size;
  }

  /** The entry for a key, live or not, without touching its recency. */
  peek(key: string): MemoryEntry | undefined {
    return this.byKey.get(key);
  }

  /** The live entry for a key, marked as most recently used; expired entries are dropped. */
  read(key: string): MemoryEntry | undefined {
    const entry = this.byKey.get(key);
    if (entry === undefined) {
      return undefined;
    }
    if (isExpired(entry.expiresAt, Date.now())) {
      this.remove(entry);
      return undefined;
    }
    this.recency.moveToNewest(entry);
    return entry;
  }

  /** Stores a value as the newest entry, evicting the least recently used one when full. */
  write(key: string, value: string, ttl: number | undefined): void {
    const existing = this.byKey.get(key);
    if (ttl !== undefined && ttl <= 0) {
      // Already expired: nothing is stored, and the old entry (if any) is gone.
      if (existing !== undefined) {
        this.remove(existing);
      }
      return;
    }
    if (existing !== undefined) {
      existing.value = value;
      existing.expiresAt = expiryOf(ttl);
      this.recency.moveToNewest(existing);
      return;
    }
    const entry = this.recycledOrNew();
    entry.key = key;
    entry.value = value;
    entry.expiresAt = expiryOf(ttl);
    this.byKey.set(key, entry);
    this.recency.append(entry);
  }

  remove(entry: MemoryEntry): void {
    this.byKey.delete(entry.key);
    this.recency.remove(entry);
  }

  /** Drops every entry at once (the map is dropped, not walked). */
  clear(): void {
    this.byKey.clear();
    this.recency.clear();
  }

  /** Starts a sweep over every entry present now. */
  beginSweep(): void {
    this.recency.beginWalk();
  }

  /**
   * Looks at up to `limit` more entries of the sweep and removes the expired ones; `done` once
   * every entry present at `beginSweep()` was seen.
   */
  sweepSlice(limit: number): { done: boolean; removed: number } {
    const now = Date.now();
    let removed = 0;
    const done = this.recency.walk(limit, (entry) => {
      if (isExpired(entry.expiresAt, now)) {
        this.remove(entry);
        removed++;
      }
    });
    return { done, removed };
  }

  /**
   * When full, the least recently used entry, evicted and ready to be reused; else a new one.
   * Reusing it keeps an evicting write from allocating an object that lives until its own
   * eviction, which is most of what such a write costs on a heap of a million entries.
   */
  private recycledOrNew(): MemoryEntry {
    const oldest = this.recency.oldest;
    if (this.byKey.size < this.maxEntries || oldest === undefined) {
      return { key: '', value: '', expiresAt: null, older: undefined, newer: undefined, stamp: 0 };
    }
    this.remove(oldest);
    return oldest;
  }
}
