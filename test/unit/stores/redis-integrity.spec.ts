import { createClient, type RedisClientType } from 'redis';
import { payloadFingerprint } from '../../../src/stores/payload-fingerprint';
import { RedisStore } from '../../../src/stores/redis.store';
import { StoreTimeoutError } from '../../../src/stores/store-timeout.error';
import {
  expectIndexSemantics,
  expectLengthAndClear,
  expectReplaceSemantics,
  integrityKeys,
  type AnyRedisStore,
} from '../../support/redis-integrity-checks';
import { startRedisServer, type RedisServer } from '../../support/redis-server';
import { respCall } from '../../support/resp';

/** Command counts without the test's own bookkeeping commands. */
const appStats = async (server: RedisServer) => {
  const { 'config|resetstat': _reset, info: _info, ...stats } = await server.commandStats();
  return stats;
};

interface Variant {
  name: string;
  open(server: RedisServer, prefix?: string, commandTimeout?: number): Promise<AnyRedisStore>;
  close(store: AnyRedisStore): Promise<void>;
}

const variants: Variant[] = [
  {
    name: 'ioredis',
    open: (server, prefix, commandTimeout) =>
      Promise.resolve(new RedisStore({ url: server.url, prefix, commandTimeout })),
    close: (store) => store.close(),
  },
  {
    name: 'node-redis',
    open: async (server, prefix, commandTimeout) => {
      const client: RedisClientType = createClient({ url: server.url });
      client.on('error', () => undefined);
      await client.connect();
      return new RedisStore({ client, prefix, commandTimeout });
    },
    close: async (store) => {
      (store.client as RedisClientType).destroy();
      await store.close();
    },
  },
];

describe.each(variants)('RedisStore integrity operations over $name', (variant) => {
  let server: RedisServer;
  let store: AnyRedisStore;
  const pttl = async (redisKey: string) => Number(await respCall(server.port, ['PTTL', redisKey]));

  beforeAll(async () => {
    server = await startRedisServer();
    store = await variant.open(server, 'app:');
  });

  afterAll(async () => {
    await variant.close(store);
    await server.stop();
  });

  describe('#replace', () => {
    it('should write on a matching fingerprint, report conflict and missing, and keep TTL rules', async () => {
      await expectReplaceSemantics(store, pttl, integrityKeys('replace', 3));
    });

    it('should cost one EVALSHA whose GET and SET the server counts apart', async () => {
      const [key] = integrityKeys('replace-stats', 1) as [string];
      await store.set(key, 'a', { ttl: 60 });
      await store.replace(key, 'warm', { ttl: 60, expected: payloadFingerprint('a') });
      await server.resetStats();
      await store.replace(key, 'b', { ttl: 60, expected: payloadFingerprint('warm') });
      expect(await appStats(server)).toEqual({ evalsha: 1, get: 1, set: 1 });
    });

    it('should load the script with EVAL when the server answers NOSCRIPT', async () => {
      const [key] = integrityKeys('replace-noscript', 1) as [string];
      await store.set(key, 'a', { ttl: 60 });
      await respCall(server.port, ['SCRIPT', 'FLUSH']);
      await server.resetStats();
      await expect(
        store.replace(key, 'b', { ttl: 60, expected: payloadFingerprint('a') }),
      ).resolves.toEqual({ status: 'written' });
      const { evalsha, eval: evaluated, get, set } = await appStats(server);
      expect({ evalsha, eval: evaluated, get, set }).toEqual({
        evalsha: 1,
        eval: 1,
        get: 1,
        set: 1,
      });
      await server.resetStats();
      await store.replace(key, 'c', { ttl: 60, expected: payloadFingerprint('b') });
      expect(await appStats(server)).toEqual({ evalsha: 1, get: 1, set: 1 });
    });

    it('should match the fingerprint of non-ASCII payloads as Redis hashes their bytes', async () => {
      const [key] = integrityKeys('replace-utf8', 1) as [string];
      const payload = '{"m":{"name":"Zoë ✓ 日本"}}';
      await store.set(key, payload, { ttl: 60 });
      await expect(
        store.replace(key, 'next', { ttl: 60, expected: payloadFingerprint(payload) }),
      ).resolves.toEqual({ status: 'written' });
    });

    it('should reject a TTL that is not a finite number before sending anything', async () => {
      await expect(store.replace('k', 'v', { ttl: Number.NaN, expected: 'x' })).rejects.toThrow(
        RangeError,
      );
    });
  });

  describe('#length and #clear', () => {
    it('should count and delete only this prefix, with SCAN and UNLINK, never KEYS', async () => {
      const other = await variant.open(server, 'other:');
      const [foreign] = integrityKeys('foreign', 1) as [string];
      await other.set(foreign, 'kept', { ttl: 60 });
      await server.resetStats();
      await expectLengthAndClear(store, integrityKeys('scan', 25));
      const stats = await appStats(server);
      expect(stats.keys).toBeUndefined();
      expect(stats.scan).toBeGreaterThan(0);
      expect(stats.unlink).toBeGreaterThan(0);
      await expect(other.get(foreign)).resolves.toBe('kept');
      await expect(other.length()).resolves.toBe(1);
      await variant.close(other);
    });

    it('should treat glob characters in the prefix literally', async () => {
      const star = await variant.open(server, 'a*[b]?:');
      const plain = await variant.open(server, 'aXbY:');
      await plain.set(integrityKeys('glob', 1)[0]!, 'v', { ttl: 60 });
      await star.set(integrityKeys('glob', 1)[0]!, 'v', { ttl: 60 });
      await expect(star.length()).resolves.toBe(1);
      await star.clear();
      await expect(plain.length()).resolves.toBe(1);
      await plain.clear();
      await variant.close(star);
      await variant.close(plain);
    });
  });

  describe('#indexAdd, #indexMembers and #indexRemove', () => {
    it('should keep members in one set whose TTL only grows, and is dropped when empty', async () => {
      await expectIndexSemantics(store, pttl);
    });
  });

  describe('when the server is frozen', () => {
    it('should reject replace, length and indexAdd within the deadline', async () => {
      const frozen = await startRedisServer();
      const quick = await variant.open(frozen, 'app:', 200);
      await quick.set('k', 'v', { ttl: 60 });
      frozen.freeze();
      try {
        const started = Date.now();
        for (const [operation, call] of [
          ['replace', () => quick.replace('k', 'w', { ttl: 60, expected: 'x' })],
          ['length', () => quick.length()],
          ['indexAdd', () => quick.indexAdd('i', 'k', 60)],
        ] as const) {
          // A connection the store opened times out in ioredis itself; on a client passed in, the
          // store's own deadline answers.
          await expect(call()).rejects.toThrow(
            variant.name === 'ioredis'
              ? new Error('Command timed out')
              : new StoreTimeoutError('RedisStore', operation, 200),
          );
        }
        expect(Date.now() - started).toBeLessThan(3 * 5 * 200);
      } finally {
        frozen.thaw();
        await variant.close(quick);
        await frozen.stop();
      }
    });
  });
});
