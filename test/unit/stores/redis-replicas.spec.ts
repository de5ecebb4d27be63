import { createClient, type RedisClientType } from 'redis';
import { SessionConfigurationError } from '../../../src/session/session-configuration.error';
import { payloadFingerprint } from '../../../src/stores/payload-fingerprint';
import { InsufficientReplicasError } from '../../../src/stores/redis-replicas.error';
import { RedisStore, type RedisStoreOptions } from '../../../src/stores/redis.store';
import { integrityKeys, type AnyRedisStore } from '../../support/redis-integrity-checks';
import { startRedisServer, type RedisServer } from '../../support/redis-server';
import { respCall } from '../../support/resp';

const appStats = async (server: RedisServer) => {
  // REPLCONF is the replica's own acknowledgement traffic.
  const { 'config|resetstat': _r, info: _i, replconf: _a, ...stats } = await server.commandStats();
  return stats;
};

const SENTINELS = { sentinels: [{ host: '127.0.0.1', port: 1 }], name: 'mymaster' };

describe('RedisStore replicas option', () => {
  describe('when it is given a value it cannot use', () => {
    const refused =
      (replicas: unknown, extra: RedisStoreOptions = {}) =>
      () =>
        new RedisStore({ url: 'redis://127.0.0.1:1', ...extra, replicas } as RedisStoreOptions);

    it.each([
      ['yes', 'RedisStore: replicas is string ("yes"); it must be false or { min, timeoutMs }.'],
      [true, 'RedisStore: replicas is boolean (true); it must be false or { min, timeoutMs }.'],
      [null, 'RedisStore: replicas is null (null); it must be false or { min, timeoutMs }.'],
      [[1], 'RedisStore: replicas is an array ([1]); it must be false or { min, timeoutMs }.'],
      [
        { min: 0, timeoutMs: 50 },
        'RedisStore: replicas.min is number (0); it must be a whole number of at least 1.',
      ],
      [
        { min: '1', timeoutMs: 50 },
        'RedisStore: replicas.min is string (1); it must be a whole number of at least 1.',
      ],
      [
        { min: 1, timeoutMs: 0 },
        'RedisStore: replicas.timeoutMs is number (0); it must be a whole number of milliseconds of at least 1 (WAIT 0 would wait forever).',
      ],
      [{ min: 1 }, 'RedisStore: replicas.timeoutMs is undefined (undefined)'],
    ])('should refuse %j with SessionConfigurationError naming its type', (value, message) => {
      expect(refused(value)).toThrow(SessionConfigurationError);
      expect(refused(value)).toThrow(message);
    });

    it('should refuse a wait as long as the command deadline', () => {
      expect(refused({ min: 1, timeoutMs: 500 }, { commandTimeout: 500 })).toThrow(
        'RedisStore: replicas.timeoutMs is 500 ms but commandTimeout is 500 ms; the wait must end before the deadline. Lower replicas.timeoutMs or raise commandTimeout.',
      );
    });
  });

  describe('when it is not given', () => {
    it('should wait for 1 replica for 50 ms with Sentinel, and not at all otherwise', async () => {
      const sentinel = new RedisStore(SENTINELS);
      const single = new RedisStore({ url: 'redis://127.0.0.1:1' });
      const off = new RedisStore({ ...SENTINELS, replicas: false });
      expect(sentinel.replicaWait).toEqual({ min: 1, timeoutMs: 50 });
      expect(single.replicaWait).toBeUndefined();
      expect(off.replicaWait).toBeUndefined();
      await Promise.all([sentinel.close(), single.close(), off.close()]);
    });
  });

  describe('with a master and one replica', () => {
    let master: RedisServer;
    let replica: RedisServer;
    let nodeRedis: RedisClientType;

    beforeAll(async () => {
      master = await startRedisServer();
      replica = await startRedisServer(['--replicaof', '127.0.0.1', String(master.port)]);
      for (let i = 0; i < 100; i++) {
        const info = String(await respCall(master.port, ['INFO', 'replication']));
        if (/slave0:.*state=online/.test(info)) {
          break;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      nodeRedis = createClient({ url: master.url });
      nodeRedis.on('error', () => undefined);
      await nodeRedis.connect();
    }, 20000);

    afterAll(async () => {
      nodeRedis.destroy();
      await replica.stop();
      await master.stop();
    });

    const stores = (min: number): Array<[string, () => AnyRedisStore]> => [
      ['ioredis', () => new RedisStore({ url: master.url, replicas: { min, timeoutMs: 100 } })],
      [
        'node-redis',
        () => new RedisStore({ client: nodeRedis, replicas: { min, timeoutMs: 100 } }),
      ],
    ];

    describe.each(stores(1))('over %s, when the replica confirms', (_name, open) => {
      it('should send each write with WAIT in one pipeline and resolve', async () => {
        const store = open();
        const [key] = integrityKeys('replicated', 1) as [string];
        await store.set(key, 'cold', { ttl: 60 });
        // Caches the script, so the counts below show no EVAL fallback.
        await store.replace(key, 'warm', { ttl: 60, expected: payloadFingerprint('cold') });
        await master.resetStats();
        await expect(store.set(key, 'a', { ttl: 60 })).resolves.toBe(true);
        await expect(
          store.replace(key, 'b', { ttl: 60, expected: payloadFingerprint('a') }),
        ).resolves.toEqual({ status: 'written' });
        await store.delete(key);
        expect(await appStats(master)).toEqual({ set: 2, evalsha: 1, get: 1, del: 1, wait: 3 });
        await store.close();
      });
    });

    describe.each(stores(2))('over %s, when fewer replicas confirm than wanted', (_name, open) => {
      it('should reject set, replace and delete with InsufficientReplicasError', async () => {
        const store = open();
        const [key] = integrityKeys('underreplicated', 1) as [string];
        const failure = store.set(key, 'a', { ttl: 60 });
        await expect(failure).rejects.toThrow(InsufficientReplicasError);
        await expect(failure).rejects.toThrow(
          'RedisStore.set() was confirmed by 1 of 2 wanted replicas within 100 ms (replicas.min); the write is not acknowledged.',
        );
        await expect(
          store.replace(key, 'b', { ttl: 60, expected: payloadFingerprint('a') }),
        ).rejects.toMatchObject({ operation: 'replace', wanted: 2, confirmed: 1 });
        await expect(store.delete(key)).rejects.toMatchObject({ operation: 'delete' });
        await store.close();
      });

      it('should not fail a write that wrote nothing (NX clash, replace conflict)', async () => {
        const store = open();
        const [key] = integrityKeys('nothing-written', 1) as [string];
        await respCall(master.port, ['SET', store.keyOf(key), 'held']);
        await expect(store.set(key, 'a', { ttl: 60, onlyIfAbsent: true })).resolves.toBe(false);
        await expect(store.replace(key, 'b', { ttl: 60, expected: 'stale' })).resolves.toEqual({
          status: 'conflict',
          current: 'held',
        });
        await store.close();
      });
    });
  });
});
