import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type {
  IoredisClient,
  IoredisClusterOptions,
  IoredisModule,
  IoredisOptions,
} from '../../../src/stores/redis-ioredis-types';
import { RedisStore } from '../../../src/stores/redis.store';

// The shapes in redis-ioredis-types.ts stand in for ioredis's types in the published
// declarations. These checks run in `npm run typecheck` (the compiler) against the installed
// ioredis; the tests below also run them, so a drift fails here.

type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** ioredis options the shapes leave out: a custom connector class is ioredis-internal. */
type LeftOut = 'Connector';

describe('ioredis shapes', () => {
  describe('IoredisOptions', () => {
    it('should have every ioredis RedisOptions field but Connector, and no other', () => {
      const same: [
        Equal<Exclude<keyof RedisOptions, keyof IoredisOptions>, LeftOut>,
        Equal<Exclude<keyof IoredisOptions, keyof RedisOptions>, never>,
      ] = [true, true];
      expect(same).toEqual([true, true]);
    });

    it('should be taken by ioredis, and take ioredis options', () => {
      const toIoredis = (options: IoredisOptions): RedisOptions => options;
      const fromIoredis = (options: Omit<RedisOptions, LeftOut>): IoredisOptions => options;
      const options = { connectionName: 'a', tls: {}, retryStrategy: () => 10 };
      expect(toIoredis(fromIoredis(options))).toBe(options);
    });
  });

  describe('IoredisClusterOptions', () => {
    it('should have every ioredis ClusterOptions field, and no other', () => {
      const same: [
        Equal<Exclude<keyof ClusterOptions, keyof IoredisClusterOptions>, never>,
        Equal<Exclude<keyof IoredisClusterOptions, keyof ClusterOptions>, never>,
      ] = [true, true];
      expect(same).toEqual([true, true]);
    });

    it('should be taken by ioredis, and take ioredis cluster options', () => {
      const toIoredis = (options: IoredisClusterOptions): ClusterOptions => options;
      const fromIoredis = (options: ClusterOptions): IoredisClusterOptions => options;
      const options: ClusterOptions = {
        scaleReads: (nodes: Redis[]) => nodes[0],
        natMap: { '10.0.0.1:7000': { host: '127.0.0.1', port: 7000 } },
        redisOptions: { connectionName: 'a' },
      };
      expect(toIoredis(fromIoredis(options))).toBe(options);
    });
  });

  describe('IoredisClient and IoredisModule', () => {
    it('should take ioredis Redis and Cluster instances and the module itself', async () => {
      const module: IoredisModule = { Redis, Cluster };
      const redis = new module.Redis({ lazyConnect: true, port: 6399 });
      const cluster = new module.Cluster([{ host: '127.0.0.1', port: 7399 }], {
        lazyConnect: true,
      });
      const clients: IoredisClient[] = [redis, cluster];
      expect(clients.map((c) => [c.status, c.isCluster])).toEqual([
        ['wait', false],
        ['wait', true],
      ]);
      redis.disconnect();
      cluster.disconnect();
      await Promise.resolve();
    });

    it("should let a store's own client be typed as ioredis's class", async () => {
      const store = new RedisStore<Redis>({ port: 6399 });
      const ping: () => Promise<string> = () => store.client.ping();
      expect(typeof ping).toBe('function');
      expect(store.client).toBeInstanceOf(Redis);
      await store.close();
    });
  });
});
