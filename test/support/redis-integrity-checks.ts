import { expect } from '@jest/globals';
import { payloadFingerprint } from '../../src/stores/payload-fingerprint';
import type { RedisStore, RedisStoreClient } from '../../src/stores/redis.store';
import { storeKey } from '../../src/stores/store-key';

/** Any RedisStore, whatever client it wraps. */
export type AnyRedisStore = RedisStore<RedisStoreClient>;

/** Milliseconds left on a Redis key (`PTTL`): -1 without expiry, -2 when absent. */
export type PttlOf = (redisKey: string) => Promise<number>;

let counter = 0;
/** `n` fresh store keys; with many, they hash to slots on every Cluster master. */
export function integrityKeys(label: string, n: number): string[] {
  counter += 1;
  return Array.from({ length: n }, (_, i) =>
    storeKey(`${label}-${process.pid}-${counter}-${i}-${Date.now()}`),
  );
}

/** replace() on each key: written, conflict (nothing changed), missing (nothing created), TTL rules. */
export async function expectReplaceSemantics(
  store: AnyRedisStore,
  pttl: PttlOf,
  keys: string[],
): Promise<void> {
  for (const key of keys) {
    const redisKey = store.keyOf(key);
    await store.set(key, 'first', { ttl: 60 });
    const expected = payloadFingerprint('first');
    await expect(store.replace(key, 'second', { ttl: 120, expected })).resolves.toEqual({
      status: 'written',
    });
    await expect(store.get(key)).resolves.toBe('second');
    expect(await pttl(redisKey)).toBeGreaterThan(60_000);

    await expect(store.replace(key, 'third', { ttl: 120, expected })).resolves.toEqual({
      status: 'conflict',
      current: 'second',
    });
    await expect(store.get(key)).resolves.toBe('second');

    const now = payloadFingerprint('second');
    await expect(store.replace(key, 'lru', { expected: now })).resolves.toEqual({
      status: 'written',
    });
    expect(await pttl(redisKey)).toBe(-1);
    await expect(
      store.replace(key, 'gone', { ttl: 0, expected: payloadFingerprint('lru') }),
    ).resolves.toEqual({ status: 'written' });
    expect(await pttl(redisKey)).toBe(-2);

    await expect(store.replace(key, 'revived', { ttl: 60, expected: now })).resolves.toEqual({
      status: 'missing',
    });
    expect(await pttl(redisKey)).toBe(-2);
  }
}

/** length() counts the sessions (not index sets) under the prefix; clear() removes them all. */
export async function expectLengthAndClear(store: AnyRedisStore, keys: string[]): Promise<void> {
  await store.clear();
  await expect(store.length()).resolves.toBe(0);
  for (const key of keys) {
    await store.set(key, 'v', { ttl: 60 });
  }
  await store.indexAdd(integrityKeys('index', 1)[0]!, keys[0]!, 60);
  await expect(store.length()).resolves.toBe(keys.length);
  await store.clear();
  await expect(store.length()).resolves.toBe(0);
  for (const key of keys) {
    await expect(store.get(key)).resolves.toBeUndefined();
  }
}

/** indexAdd never shortens the set's TTL, lengthens it, keeps it forever without a TTL. */
export async function expectIndexSemantics(store: AnyRedisStore, pttl: PttlOf): Promise<void> {
  const [index, a, b, c] = integrityKeys('user-index', 4) as [string, string, string, string];
  const redisKey = store.keyOf(index);
  await expect(store.indexMembers(index)).resolves.toEqual([]);
  await store.indexAdd(index, a, 100);
  expect(await pttl(redisKey)).toBeGreaterThan(99_000);
  await store.indexAdd(index, b, 10);
  expect(await pttl(redisKey)).toBeGreaterThan(99_000);
  await store.indexAdd(index, c, 300);
  expect(await pttl(redisKey)).toBeGreaterThan(299_000);
  expect((await store.indexMembers(index)).sort()).toEqual([a, b, c].sort());
  await store.indexRemove(index, [a, b]);
  await store.indexRemove(index, []);
  await expect(store.indexMembers(index)).resolves.toEqual([c]);
  await store.indexAdd(index, a);
  expect(await pttl(redisKey)).toBe(-1);
  await store.indexAdd(index, b, 5);
  expect(await pttl(redisKey)).toBe(-1);
  await store.indexRemove(index, [a, b, c]);
  expect(await pttl(redisKey)).toBe(-2);
}
