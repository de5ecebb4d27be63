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

    it.each<[string, Record<string, unknown>, string]>([
      [
        'nothing at all',
        {},
        'RedisStore: no connection target: give url, host/port, sentinels + name, cluster nodes, or a client. Without one, ioredis would connect to 127.0.0.1:6379.',
      ],
      [
        'only a prefix and a timeout',
        { prefix: 'app:', commandTimeout: 500 },
        'RedisStore: no connection target: give url, host/port, sentinels + name, cluster nodes, or a client. Without one, ioredis would connect to 127.0.0.1:6379.',
      ],
      [
        'a url from an unset environment variable',
        { url: process.env['NSM_SURELY_UNSET_REDIS_URL'], prefix: 'app:' },
        'RedisStore: no connection target (url is undefined: is an environment variable unset?): give url, host/port, sentinels + name, cluster nodes, or a client. Without one, ioredis would connect to 127.0.0.1:6379.',
      ],
      [
        'an undefined host beside a port',
        { host: undefined, port: 6380 },
        'RedisStore: no connection target (host is undefined: is an environment variable unset?): give url, host/port, sentinels + name, cluster nodes, or a client. Without one, ioredis would connect to 127.0.0.1:6380.',
      ],
      [
        'an undefined client',
        { client: undefined },
        'RedisStore: no connection target (client is undefined: is an environment variable unset?): give url, host/port, sentinels + name, cluster nodes, or a client. Without one, ioredis would connect to 127.0.0.1:6379.',
      ],
      [
        'an empty host',
        { host: '' },
        'RedisStore: host "" is not a host name. Pass a host such as \'127.0.0.1\', or a url.',
      ],
      [
        'a misspelt url',
        { ur: 'redis://127.0.0.1:6391' },
        'RedisStore: unknown option "ur". Did you mean "url"?',
      ],
      [
        'a misspelt option beside a target',
        { url: 'redis://127.0.0.1:6391', comandTimeout: 500 },
        'RedisStore: unknown option "comandTimeout". Did you mean "commandTimeout"?',
      ],
      [
        'an ioredis option outside redisOptions',
        { url: 'redis://127.0.0.1:6391', lazyConnect: true },
        'RedisStore: unknown option "lazyConnect"; its options are client, url, host, port, db, username, password, sentinels, name, cluster, clusterOptions, redisOptions, prefix, commandTimeout, maxRetriesPerRequest, replicas. Remove it, or fix its spelling.',
      ],
    ])(
      'should refuse %s (as JavaScript or ConfigService values can give)',
      (_label, options, message) => {
        const build = () => new RedisStore(options);
        expect(build).toThrow(SessionConfigurationError);
        expect(build).toThrow(message);
      },
    );

    it('should refuse to be built without options', () => {
      const build = () => new (RedisStore as new (options?: RedisStoreOptions) => RedisStore)();
      expect(build).toThrow(
        'RedisStore: no connection target: give url, host/port, sentinels + name, cluster nodes, or a client.',
      );
    });

    it('should refuse a URL given in place of the options without repeating it', () => {
      const build = () =>
        new RedisStore('redis://:s3cret@127.0.0.1:6380' as unknown as RedisStoreOptions);
      expect(build).toThrow(
        "RedisStore: options are a string; pass an object such as { url: 'redis://127.0.0.1:6379' }.",
      );
      expect(build).not.toThrow(/s3cret/);
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
      ['a url', { url: 'redis://127.0.0.1:6380/2' }],
      ['a host alone (port 6379)', { host: 'redis.internal' }],
      ['a port alone (this machine)', { port: 6380 }],
      ['an undefined url beside a host', { url: undefined, host: '127.0.0.1' }],
      ['a Unix socket in redisOptions', { redisOptions: { path: '/tmp/redis.sock' } }],
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
