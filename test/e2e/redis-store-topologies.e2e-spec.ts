import { Cluster } from 'ioredis';
import { RedisStore } from '../../src/stores/redis.store';
import { expectSessionsSpreadOverMasters, keysFor } from '../support/cluster-checks';
import { startRedisCluster, type RedisCluster } from '../support/redis-cluster';
import { startRedisSentinel, type RedisSentinelSetup } from '../support/redis-sentinel';
import { respCall } from '../support/resp';

/** Retries `attempt` until it succeeds or `ms` have passed; resolves with the failures seen. */
async function eventually(attempt: () => Promise<void>, ms: number): Promise<string[]> {
  const deadline = Date.now() + ms;
  const failures: string[] = [];
  for (;;) {
    try {
      await attempt();
      return failures;
    } catch (error) {
      failures.push(String(error));
      if (Date.now() > deadline) {
        throw new Error(`still failing after ${ms} ms: ${failures.slice(-3).join(' | ')}`, {
          cause: error,
        });
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

describe('RedisStore on a Redis Cluster (3 masters)', () => {
  let cluster: RedisCluster;
  let store: RedisStore;
  let inspector: Cluster;

  beforeAll(async () => {
    cluster = await startRedisCluster();
    store = new RedisStore({ cluster: cluster.nodes });
    inspector = new Cluster(cluster.nodes);
  }, 90_000);

  afterAll(async () => {
    await store?.close();
    await inspector?.quit();
    await cluster?.stop();
  });

  describe('when many sessions are written', () => {
    it('should spread them over every master and set, read, touch and delete each one', async () => {
      await expectSessionsSpreadOverMasters(store, cluster, (k) => inspector.pttl(k), 'cluster');
    });

    it('should refresh with GETEX and refuse a second onlyIfAbsent write', async () => {
      const [key] = keysFor('cluster-nx', 1);
      await expect(store.set(key!, 'first', { ttl: 5, onlyIfAbsent: true })).resolves.toBe(true);
      await expect(store.set(key!, 'second', { ttl: 5, onlyIfAbsent: true })).resolves.toBe(false);
      await expect(store.getAndTouch(key!, 300)).resolves.toBe('first');
      expect(await inspector.pttl(`session:${key}`)).toBeGreaterThan(290_000);
    });

    it('should write no expiry in LRU mode', async () => {
      const [key] = keysFor('cluster-lru', 1);
      await store.set(key!, 'v', {});
      expect(await inspector.pttl(`session:${key}`)).toBe(-1);
    });

    it('should only send single-key commands for session data', async () => {
      await cluster.resetStats();
      const [key] = keysFor('cluster-stats', 1);
      await store.set(key!, 'v', { ttl: 60 });
      await store.get(key!);
      await store.getAndTouch(key!, 60);
      await store.touch(key!, 60);
      await store.delete(key!);
      const stats = await cluster.commandStats();
      const dataCommands = Object.fromEntries(
        Object.entries(stats).filter(
          ([name]) => !/^(cluster|info|config|ping|hello|client)/.test(name),
        ),
      );
      expect(dataCommands).toEqual({ set: 1, get: 1, getex: 1, expire: 1, del: 1 });
    });
  });

  describe('when a Cluster client is passed in', () => {
    it('should use it and leave it open on close()', async () => {
      const client = new Cluster(cluster.nodes);
      const borrowed = new RedisStore({ client, prefix: 'borrowed:' });
      try {
        const [key] = keysFor('cluster-client', 1);
        await borrowed.set(key!, 'v', { ttl: 60 });
        await borrowed.close();
        expect(client.status).toBe('ready');
        await expect(client.get(`borrowed:${key}`)).resolves.toBe('v');
      } finally {
        await client.quit();
      }
    });
  });
});

describe('RedisStore through Redis Sentinel (1 master, 1 replica, 3 sentinels)', () => {
  let setup: RedisSentinelSetup;
  let store: RedisStore;

  beforeAll(async () => {
    setup = await startRedisSentinel();
    store = new RedisStore({ sentinels: setup.sentinels, name: setup.masterName });
  }, 90_000);

  afterAll(async () => {
    await store?.close();
    await setup?.stop();
    // After a failover ioredis re-closes the old failover-detector connections with a 2 s
    // fallback timer (AbstractConnector.disconnect) that nothing can clear; let it run out so
    // Jest exits cleanly.
    await new Promise((r) => setTimeout(r, 2100));
  }, 10000);

  describe('when the master is up', () => {
    it('should write to the master the sentinels name', async () => {
      const [key] = keysFor('sentinel', 1);
      await store.set(key!, 'on the master', { ttl: 60 });
      await expect(store.get(key!)).resolves.toBe('on the master');
      const master = await setup.currentMaster();
      expect(await respCall(master.port, ['GET', `session:${key}`])).toBe('on the master');
    });
  });

  describe('when the sentinels fail over to the replica', () => {
    it('should serve new calls from the new master within a few seconds', async () => {
      const [before, after] = keysFor('failover', 2);
      await store.set(before!, 'v', { ttl: 60 });
      const newMaster = await setup.failover();
      await eventually(async () => {
        await store.set(after!, 'written after the failover', { ttl: 60 });
        await store.touch(after!, 120);
      }, 20000);
      await expect(store.get(after!)).resolves.toBe('written after the failover');
      expect(await respCall(newMaster.port, ['GET', `session:${after}`])).toBe(
        'written after the failover',
      );
    }, 40000);
  });
});
