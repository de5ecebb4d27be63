import { createCluster, createSentinel } from 'redis';
import { RedisStore } from '../../src/stores/redis.store';
import { expectSessionsSpreadOverMasters, keysFor } from '../support/cluster-checks';
import { startRedisCluster, type RedisCluster } from '../support/redis-cluster';
import { startRedisSentinel, type RedisSentinelSetup } from '../support/redis-sentinel';
import { respCall } from '../support/resp';

/** The same checks as redis-store-topologies.e2e-spec.ts, over node-redis clients passed in. */
describe('RedisStore over a node-redis cluster client (3 masters)', () => {
  let cluster: RedisCluster;
  let client: ReturnType<typeof createCluster>;
  let store: RedisStore<ReturnType<typeof createCluster>>;

  beforeAll(async () => {
    cluster = await startRedisCluster();
    client = createCluster({
      rootNodes: cluster.nodes.map(({ host, port }) => ({ url: `redis://${host}:${port}` })),
    });
    client.on('error', () => undefined);
    await client.connect();
    store = new RedisStore({ client });
  }, 90_000);

  afterAll(async () => {
    await client?.close();
    await cluster?.stop();
  });

  it('should spread sessions over every master and set, read, touch and delete each one', async () => {
    await expectSessionsSpreadOverMasters(store, cluster, (k) => client.pTTL(k), 'nr-cluster');
  });

  it('should refresh with GETEX, refuse a second onlyIfAbsent write, and send single-key commands only', async () => {
    await cluster.resetStats();
    const [key] = keysFor('nr-cluster-nx', 1);
    await expect(store.set(key!, 'first', { ttl: 5, onlyIfAbsent: true })).resolves.toBe(true);
    await expect(store.set(key!, 'second', { ttl: 5, onlyIfAbsent: true })).resolves.toBe(false);
    await expect(store.getAndTouch(key!, 300)).resolves.toBe('first');
    await store.set(key!, 'lru', {});
    const stats = await cluster.commandStats();
    const dataCommands = Object.fromEntries(
      Object.entries(stats).filter(
        ([name]) => !/^(cluster|info|config|ping|hello|client|readonly)/.test(name),
      ),
    );
    expect(dataCommands).toEqual({ set: 3, getex: 1 });
    expect(await client.pTTL(`session:${key}`)).toBe(-1);
  });
});

describe('RedisStore over a node-redis sentinel client (1 master, 1 replica, 3 sentinels)', () => {
  let setup: RedisSentinelSetup;
  let client: ReturnType<typeof createSentinel>;
  let store: RedisStore<ReturnType<typeof createSentinel>>;

  beforeAll(async () => {
    setup = await startRedisSentinel();
    client = createSentinel({ name: setup.masterName, sentinelRootNodes: setup.sentinels });
    client.on('error', () => undefined);
    await client.connect();
    store = new RedisStore({ client });
  }, 90_000);

  afterAll(async () => {
    await client?.close();
    await setup?.stop();
  });

  it('should write to the master the sentinels name, and read it back', async () => {
    const [key] = keysFor('nr-sentinel', 1);
    await expect(store.set(key!, 'on the master', { ttl: 60 })).resolves.toBe(true);
    await expect(store.get(key!)).resolves.toBe('on the master');
    await expect(store.getAndTouch(key!, 120)).resolves.toBe('on the master');
    const master = await setup.currentMaster();
    expect(await respCall(master.port, ['GET', `session:${key}`])).toBe('on the master');
    expect(Number(await respCall(master.port, ['TTL', `session:${key}`]))).toBeGreaterThan(110);
  });

  it('should serve calls from the new master after the sentinels fail over', async () => {
    const [key] = keysFor('nr-failover', 1);
    const newMaster = await setup.failover();
    const deadline = Date.now() + 20000;
    for (;;) {
      try {
        await store.set(key!, 'written after the failover', { ttl: 60 });
        break;
      } catch (error) {
        if (Date.now() > deadline) {
          throw error;
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    await expect(store.get(key!)).resolves.toBe('written after the failover');
    expect(await respCall(newMaster.port, ['GET', `session:${key}`])).toBe(
      'written after the failover',
    );
  }, 40000);
});
