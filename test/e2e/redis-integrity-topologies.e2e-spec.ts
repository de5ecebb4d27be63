import { Cluster } from 'ioredis';
import { createCluster } from 'redis';
import { RedisStore } from '../../src/stores/redis.store';
import { startRedisCluster, type RedisCluster } from '../support/redis-cluster';
import {
  expectIndexSemantics,
  expectLengthAndClear,
  expectReplaceSemantics,
  integrityKeys,
  type AnyRedisStore,
} from '../support/redis-integrity-checks';

/** replace, length, clear and the index methods on a 3-master Cluster, over both client libraries. */
describe('RedisStore integrity operations on a Cluster (3 masters)', () => {
  let cluster: RedisCluster;
  let inspector: Cluster;
  let ioredisStore: AnyRedisStore;
  let nodeRedis: ReturnType<typeof createCluster>;
  let nodeRedisStore: AnyRedisStore;

  beforeAll(async () => {
    cluster = await startRedisCluster();
    inspector = new Cluster(cluster.nodes);
    ioredisStore = new RedisStore({ cluster: cluster.nodes, prefix: 'io:' });
    nodeRedis = createCluster({
      rootNodes: cluster.nodes.map(({ host, port }) => ({ url: `redis://${host}:${port}` })),
    });
    nodeRedis.on('error', () => undefined);
    await nodeRedis.connect();
    nodeRedisStore = new RedisStore({ client: nodeRedis, prefix: 'nr:' });
  }, 30000);

  afterAll(async () => {
    await ioredisStore?.close();
    await nodeRedis?.close();
    inspector?.disconnect();
    await cluster?.stop();
  });

  const pttl = (redisKey: string) => inspector.pttl(redisKey);
  const stores = () =>
    [
      ['ioredis', ioredisStore],
      ['node-redis', nodeRedisStore],
    ] as const;

  it('should replace keys in slots of every master, loading the script on each node', async () => {
    for (const [, store] of stores()) {
      await expectReplaceSemantics(store, pttl, integrityKeys('cluster-replace', 12));
    }
    const stats = await Promise.all(cluster.servers.map((s) => s.commandStats()));
    for (const node of stats) {
      expect(node.evalsha).toBeGreaterThan(0);
      expect(node.eval).toBeGreaterThan(0);
    }
  });

  it('should count and clear sessions on every master, leaving the other prefix alone', async () => {
    const [io, nr] = stores();
    await nr[1].set(integrityKeys('kept', 1)[0]!, 'v', { ttl: 60 });
    await expectLengthAndClear(io[1], integrityKeys('cluster-scan', 30));
    await expect(nr[1].length()).resolves.toBe(1);
    await expectLengthAndClear(nr[1], integrityKeys('cluster-scan-nr', 30));
    expect((await cluster.keys()).filter((k) => /^(io|nr):/.test(k))).toEqual([]);
  });

  it('should keep index sets as single-key operations', async () => {
    for (const [, store] of stores()) {
      await expectIndexSemantics(store, pttl);
    }
  });
});
