import { Redis } from 'ioredis';
import { SessionConfigurationError } from '../../../src/session/session-configuration.error';
import { RedisStore, type RedisStoreOptions } from '../../../src/stores/redis.store';

describe('RedisStore options', () => {
  const client = new Redis({ lazyConnect: true });
  afterAll(() => client.disconnect());

  describe('when they cannot work', () => {
    it.each<[string, RedisStoreOptions, string]>([
      [
        'two ways to connect',
        { url: 'redis://127.0.0.1:7000', cluster: [{ host: '127.0.0.1', port: 7000 }] },
        'RedisStore: options "url/host/port" and "cluster" were both given, but they are different ways to connect. Give only one of client, url (or host/port), sentinels + name, or cluster.',
      ],
      [
        'a client and sentinels',
        { client, sentinels: [{ host: '127.0.0.1', port: 26379 }], name: 'mymaster' },
        'RedisStore: options "client" and "sentinels" were both given, but they are different ways to connect. Give only one of client, url (or host/port), sentinels + name, or cluster.',
      ],
      [
        'connection settings beside a client',
        { client, db: 2 },
        'RedisStore: option "db" has no effect on a client you pass in. Configure it on the client, or let the store open the connection.',
      ],
      [
        'an empty url',
        { url: '' },
        'RedisStore: url "" is not a connection URL. Pass a string such as \'redis://127.0.0.1:6379\'.',
      ],
      [
        'sentinels without a name',
        { sentinels: [{ host: '127.0.0.1', port: 26379 }] },
        'RedisStore: sentinels were given without the master name. Set name to the name in "sentinel monitor <name> ..." (often \'mymaster\').',
      ],
      [
        'a name without sentinels',
        { name: 'mymaster' },
        'RedisStore: name "mymaster" is a Sentinel master name, but no sentinels were given. Add sentinels: [{ host, port }], or remove name.',
      ],
      [
        'an empty sentinel list',
        { sentinels: [], name: 'mymaster' },
        "RedisStore: sentinels must be a non-empty list of { host, port } addresses. Pass e.g. sentinels: [{ host: '127.0.0.1', port: 26379 }].",
      ],
      [
        'a cluster node without a port',
        { cluster: [{ host: '127.0.0.1' } as { host: string; port: number }] },
        "RedisStore: cluster must be a non-empty list of { host, port } addresses. Pass e.g. cluster: [{ host: '127.0.0.1', port: 7000 }].",
      ],
      [
        'a database on a cluster',
        { cluster: [{ host: '127.0.0.1', port: 7000 }], db: 1 },
        'RedisStore: db 1 cannot be used with cluster, which only has database 0. Use a distinct prefix instead.',
      ],
      [
        'clusterOptions without cluster',
        { url: 'redis://127.0.0.1', clusterOptions: {} },
        'RedisStore: clusterOptions were given without cluster nodes. Add cluster: [{ host, port }], or remove clusterOptions.',
      ],
      [
        'a zero commandTimeout',
        { commandTimeout: 0 },
        'RedisStore: commandTimeout is 0; it must be an integer at least 1. Fix the commandTimeout option.',
      ],
      [
        'a negative maxRetriesPerRequest',
        { maxRetriesPerRequest: -1 },
        'RedisStore: maxRetriesPerRequest is -1; it must be an integer at least 0. Fix the maxRetriesPerRequest option.',
      ],
      [
        'a port out of range',
        { port: 70000 },
        'RedisStore: port is 70000; it must be an integer between 1 and 65535. Fix the port option.',
      ],
      [
        'a prefix that is not a string',
        { prefix: 42 as unknown as string },
        "RedisStore: prefix 42 is not a string. Pass a string such as 'session:'.",
      ],
    ])('should refuse %s with a message naming the fix', (_label, options, message) => {
      const build = () => new RedisStore(options);
      expect(build).toThrow(SessionConfigurationError);
      expect(build).toThrow(message);
    });

    it('should never repeat a URL (it may hold a password) in a message', () => {
      const build = () =>
        new RedisStore({ url: 'redis://:s3cret@127.0.0.1:6380', sentinels: [], name: 'x' });
      expect(build).toThrow(SessionConfigurationError);
      expect(build).not.toThrow(/s3cret/);
    });
  });

  describe('when they can work', () => {
    it.each<[string, RedisStoreOptions]>([
      ['nothing (ioredis defaults)', {}],
      ['a url', { url: 'redis://127.0.0.1:6380/2' }],
      [
        'host, port, db and credentials',
        { host: '127.0.0.1', port: 6380, db: 1, username: 'u', password: 'p' },
      ],
      [
        'sentinels and a name',
        { sentinels: [{ host: '127.0.0.1', port: 26379 }], name: 'mymaster' },
      ],
      [
        'cluster nodes and options',
        {
          cluster: [{ host: '127.0.0.1', port: 7000 }],
          clusterOptions: { retryDelayOnFailover: 300 },
        },
      ],
      ['a client', { client }],
    ])('should accept %s without connecting', async (_label, options) => {
      const store = new RedisStore(options);
      expect((store.client as Redis).status).toBe(options.client ? client.status : 'wait');
      await store.close();
    });
  });
});
