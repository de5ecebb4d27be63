/** Entries per shard above which a store splits its index (a rehash of this many takes ~1 ms). */
const SHARD_ENTRIES = 16_384;

/**
 * A `Map` split into a power-of-two number of shards by a hash of the key. V8 rehashes a whole
 * `Map` in one step when it grows, shrinks or compacts (55 ms at a million entries), so an index
 * sized for `capacity` entries is split into shards of about 16k, and no single write or delete
 * pays for more than one shard. Up to 16k entries it is one plain `Map`.
 *
 * @internal
 */
export class ShardedMap<V> {
  private readonly shards: Map<string, V>[];
  private readonly mask: number;
  private count = 0;

  constructor(capacity: number) {
    let count = 1;
    while (count * SHARD_ENTRIES < capacity) {
      count *= 2;
    }
    this.shards = Array.from({ length: count }, () => new Map<string, V>());
    this.mask = count - 1;
  }

  get size(): number {
    return this.count;
  }

  get(key: string): V | undefined {
    return this.shardOf(key).get(key);
  }

  set(key: string, value: V): void {
    const shard = this.shardOf(key);
    const before = shard.size;
    shard.set(key, value);
    this.count += shard.size - before;
  }

  delete(key: string): void {
    if (this.shardOf(key).delete(key)) {
      this.count--;
    }
  }

  clear(): void {
    for (const shard of this.shards) {
      shard.clear();
    }
    this.count = 0;
  }

  private shardOf(key: string): Map<string, V> {
    if (this.mask === 0) {
      return this.shards[0]!;
    }
    // FNV-1a over the key: store keys are already hashes, but any string must spread evenly.
    let hash = 0x811c9dc5;
    for (let i = 0; i < key.length; i++) {
      hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
    }
    return this.shards[(hash >>> 0) & this.mask]!;
  }
}
