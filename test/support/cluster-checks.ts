import type { SessionStore } from '../../src/stores/session-store.interface';
import { storeKey } from '../../src/stores/store-key';
import type { RedisCluster } from './redis-cluster';
import { respCall } from './resp';

/** Fresh store keys (hashed ids) for one test. */
export const keysFor = (tag: string, count: number): string[] =>
  Array.from({ length: count }, (_, i) => storeKey(`${tag}-${i}-${Date.now()}`));

/**
 * Writes 60 sessions through `store` (default prefix), checks that every master holds some,
 * then reads, touches and deletes each one, whichever client the store runs over.
 */
export async function expectSessionsSpreadOverMasters(
  store: SessionStore,
  cluster: RedisCluster,
  pttl: (redisKey: string) => Promise<number>,
  tag: string,
): Promise<void> {
  const keys = keysFor(tag, 60);
  for (const key of keys) {
    await expect(store.set(key, `value of ${key}`, { ttl: 60 })).resolves.toBe(true);
  }
  for (const server of cluster.servers) {
    expect(Number(await respCall(server.port, ['DBSIZE']))).toBeGreaterThan(0);
  }
  for (const key of keys) {
    await expect(store.get(key)).resolves.toBe(`value of ${key}`);
    await store.touch(key, 600);
    expect(await pttl(`session:${key}`)).toBeGreaterThan(590_000);
  }
  for (const key of keys) {
    await store.delete(key);
  }
  expect((await cluster.keys()).filter((k) => k.startsWith('session:'))).toEqual([]);
}
