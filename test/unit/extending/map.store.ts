import {
  payloadFingerprint,
  type ReplaceResult,
  type SessionStore,
  type StoreReplaceOptions,
  type StoreSetOptions,
} from '../../../src';

interface Entry {
  value: string;
  /** Epoch milliseconds; undefined = no expiry. */
  expiresAt: number | undefined;
}

/**
 * The smallest complete store: a Map in this process, with TTLs checked on read. It shows the
 * contract; `MemoryStore` is the one to use (bounded, swept).
 */
export class MapStore implements SessionStore {
  readonly name = 'MapStore';
  private readonly entries = new Map<string, Entry>();

  get(key: string): Promise<string | undefined> {
    return Promise.resolve(this.live(key)?.value);
  }

  set(key: string, value: string, { ttl, onlyIfAbsent, onlyIfPresent }: StoreSetOptions) {
    const exists = this.live(key) !== undefined;
    if ((onlyIfAbsent && exists) || (onlyIfPresent && !exists)) {
      return Promise.resolve(false);
    }
    this.write(key, value, ttl);
    return Promise.resolve(true);
  }

  touch(key: string, ttl: number): Promise<void> {
    const entry = this.live(key);
    if (entry !== undefined) {
      this.write(key, entry.value, ttl);
    }
    return Promise.resolve();
  }

  delete(key: string): Promise<void> {
    this.entries.delete(key);
    return Promise.resolve();
  }

  replace(key: string, value: string, { ttl, expected }: StoreReplaceOptions) {
    const entry = this.live(key);
    let result: ReplaceResult;
    if (entry === undefined) {
      result = { status: 'missing' };
    } else if (payloadFingerprint(entry.value) !== expected) {
      result = { status: 'conflict', current: entry.value };
    } else {
      this.write(key, value, ttl);
      result = { status: 'written' };
    }
    return Promise.resolve(result);
  }

  /** A TTL of zero or less means "expired now": the entry goes. */
  private write(key: string, value: string, ttl: number | undefined): void {
    if (ttl !== undefined && ttl <= 0) {
      this.entries.delete(key);
    } else {
      const expiresAt = ttl === undefined ? undefined : Date.now() + ttl * 1000;
      this.entries.set(key, { value, expiresAt });
    }
  }

  /** Expired is absent, whether or not it was removed yet. */
  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }
}
