import { Redis } from 'ioredis';
import { SessionConfigurationError } from '../../../src/session/session-configuration.error';
import { loadIoredis, RedisStore } from '../../../src/stores/redis.store';
import { storeKey } from '../../../src/stores/store-key';
import { StoreTimeoutError } from '../../../src/stores/store-timeout.error';
import { freePort } from '../../support/free-port';
import { startRedisServer, type RedisServer } from '../../support/redis-server';
import { respCall } from '../../support/resp';
import { freshKey } from './store-harness';

/** Generous bound for "fails fast": five times the deadline, never a tight timing. */
const bound = (timeoutMs: number) => timeoutMs * 5;

async function elapsed(run: () => Promise<unknown>): Promise<{ ms: number; error: unknown }> {
  const start = Date.now();
  try {
    await run();
    return { ms: Date.now() - start, error: undefined };
  } catch (error) {
    return { ms: Date.now() - start, error };
  }
}

/** Command counts without the test's own bookkeeping commands. */
const appStats = async (server: RedisServer) => {
  const { 'config|resetstat': _reset, info: _info, ...stats } = await server.commandStats();
  return stats;
};

const info = async (server: RedisServer, field: string) => {
  const text = String(await respCall(server.port, ['INFO', 'all']));
  return Number(new RegExp(`${field}:(\\d+)`).exec(text)?.[1]);
};

describe('RedisStore', () => {
  let server: RedisServer;
  let store: RedisStore;

  beforeAll(async () => {
    server = await startRedisServer();
    store = new RedisStore({ url: server.url });
  }, 60_000);

  afterAll(async () => {
    await store.close();
    await server.stop();
  });

  describe('when it writes a key', () => {
    it("should store it under the default prefix 'session:', never as the bare key", async () => {
      const key = freshKey();
      await store.set(key, 'v', { ttl: 60 });
      const keys = (await respCall(server.port, ['KEYS', `*${key}*`])) as string[];
      expect(keys).toEqual([`session:${key}`]);
      expect(keys).not.toContain(key);
    });

    it('should use a custom prefix', async () => {
      const custom = new RedisStore({ url: server.url, prefix: 'app:auth:' });
      const key = freshKey();
      await custom.set(key, 'v', { ttl: 60 });
      await custom.close();
      expect(await respCall(server.port, ['KEYS', `*${key}*`])).toEqual([`app:auth:${key}`]);
    });
  });

  describe('when each method is called', () => {
    beforeEach(() => server.resetStats());

    it('should send SET with EX for a TTL, and nothing else', async () => {
      const key = freshKey();
      await store.set(key, 'v', { ttl: 60 });
      expect(await appStats(server)).toEqual({ set: 1 });
      const pttl = Number(await respCall(server.port, ['PTTL', `session:${key}`]));
      expect(pttl).toBeGreaterThan(59_000);
      expect(pttl).toBeLessThanOrEqual(60_000);
    });

    it('should send one SET ... NX that resolves false on a clash', async () => {
      const key = freshKey();
      await store.set(key, 'a', { ttl: 60, onlyIfAbsent: true });
      await expect(store.set(key, 'b', { ttl: 60, onlyIfAbsent: true })).resolves.toBe(false);
      expect(await appStats(server)).toEqual({ set: 2 });
    });

    it('should send a plain SET without a TTL (LRU mode): no expiry, no EXPIRE', async () => {
      const key = freshKey();
      await store.set(key, 'v', {});
      expect(await appStats(server)).toEqual({ set: 1 });
      expect(await respCall(server.port, ['PTTL', `session:${key}`])).toBe(-1);
    });

    it('should send GET, GETEX, EXPIRE and DEL, one each', async () => {
      const key = freshKey();
      await store.get(key);
      await store.getAndTouch(key, 60);
      await store.touch(key, 60);
      await store.delete(key);
      expect(await appStats(server)).toEqual({ get: 1, getex: 1, expire: 1, del: 1 });
    });

    it('should send DEL, never a zero or negative expiry, for a TTL <= 0', async () => {
      const key = freshKey();
      await store.set(key, 'v', { ttl: 0 });
      await store.touch(key, -1);
      await store.getAndTouch(key, 0);
      expect(await appStats(server)).toEqual({ del: 3 });
    });

    it('should round a fractional TTL up to whole seconds', async () => {
      const key = freshKey();
      await store.set(key, 'v', { ttl: 0.2 });
      const pttl = Number(await respCall(server.port, ['PTTL', `session:${key}`]));
      expect(pttl).toBeGreaterThan(200);
      expect(pttl).toBeLessThanOrEqual(1000);
    });
  });

  describe('when the server does not know GETEX (Redis < 6.2)', () => {
    let old: RedisServer;
    let legacy: RedisStore;

    beforeAll(async () => {
      old = await startRedisServer(['--rename-command', 'GETEX', '']);
      legacy = new RedisStore({ url: old.url });
    }, 60_000);

    afterAll(async () => {
      await legacy.close();
      await old.stop();
    });

    it('should fall back to GET + EXPIRE in one pipeline, and stop trying GETEX', async () => {
      const key = freshKey();
      await legacy.set(key, 'v', { ttl: 5 });
      await old.resetStats();
      await expect(legacy.getAndTouch(key, 60)).resolves.toBe('v');
      await expect(legacy.getAndTouch(key, 60)).resolves.toBe('v');
      expect(await appStats(old)).toEqual({ get: 2, expire: 2 });
      const errors = String(await respCall(old.port, ['INFO', 'errorstats']));
      expect(errors).toContain('errorstat_ERR:count=1');
      expect(Number(await respCall(old.port, ['PTTL', `session:${key}`]))).toBeGreaterThan(50_000);
    });
  });

  describe('when Redis answers with an error', () => {
    it('should reject with the original error', async () => {
      const key = freshKey();
      await respCall(server.port, ['LPUSH', `session:${key}`, 'x']);
      await expect(store.get(key)).rejects.toThrow(/^WRONGTYPE/);
    });
  });

  describe('when the server is frozen (SIGSTOP)', () => {
    it('should reject within the commandTimeout instead of hanging', async () => {
      const frozen = await startRedisServer();
      const quick = new RedisStore({ url: frozen.url, commandTimeout: 300 });
      try {
        await quick.set(freshKey(), 'v', { ttl: 60 });
        frozen.freeze();
        const { ms, error } = await elapsed(() => quick.get(freshKey()));
        expect(String(error)).toContain('Command timed out');
        expect(ms).toBeLessThan(bound(300));
      } finally {
        frozen.thaw();
        await quick.close();
        await frozen.stop();
      }
    });

    it('should bound calls on a passed-in client that has no commandTimeout', async () => {
      const frozen = await startRedisServer();
      const client = new Redis({ port: frozen.port, host: '127.0.0.1' });
      const quick = new RedisStore({ client, commandTimeout: 300 });
      try {
        await quick.set(freshKey(), 'v', { ttl: 60 });
        frozen.freeze();
        const { ms, error } = await elapsed(() => quick.get(freshKey()));
        expect(error).toBeInstanceOf(StoreTimeoutError);
        expect(String(error)).toContain(
          'RedisStore.get() got no reply within 300 ms (commandTimeout). Check that the server is reachable, or raise commandTimeout.',
        );
        expect(ms).toBeLessThan(bound(300));
      } finally {
        frozen.thaw();
        client.disconnect();
        await frozen.stop();
      }
    });
  });

  describe('when the server is stopped', () => {
    /** What ioredis and the store's deadline say when nothing answers. */
    const CONNECTION_FAILURE =
      /ECONNREFUSED|Connection is closed|retries|did not answer|timed? ?out/i;

    it('should reject quickly once the server went away', async () => {
      const doomed = await startRedisServer();
      const quick = new RedisStore({ url: doomed.url });
      try {
        await quick.set(freshKey(), 'v', { ttl: 60 });
        await doomed.stop();
        const { ms, error } = await elapsed(() => quick.get(freshKey()));
        expect(error).toBeInstanceOf(Error);
        expect((error as Error).message).toMatch(CONNECTION_FAILURE);
        expect(ms).toBeLessThan(bound(1000));
      } finally {
        await quick.close();
      }
    });

    it('should reject quickly when nothing ever listened on the port', async () => {
      const nowhere = new RedisStore({ host: '127.0.0.1', port: await freePort() });
      const { ms, error } = await elapsed(() => nowhere.get(freshKey()));
      await nowhere.close();
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(CONNECTION_FAILURE);
      expect(ms).toBeLessThan(bound(1000));
    });
  });

  describe('when it is constructed', () => {
    it('should open no connection until the first call', async () => {
      const before = await info(server, 'total_connections_received');
      const idle = new RedisStore({ url: server.url });
      expect(idle.client.status).toBe('wait');
      await idle.close();
      // + 1: the INFO call that reads the counter is itself a new connection.
      expect(await info(server, 'total_connections_received')).toBe(before + 1);
    });

    it('should apply db, password and redisOptions from its options', async () => {
      const locked = await startRedisServer();
      await respCall(locked.port, ['CONFIG', 'SET', 'requirepass', 'hunter2-hunter2']);
      const scoped = new RedisStore({
        host: '127.0.0.1',
        port: locked.port,
        password: 'hunter2-hunter2',
        db: 3,
        redisOptions: { connectionName: 'nsm-test' },
      });
      const reader = new Redis({ port: locked.port, password: 'hunter2-hunter2', db: 3 });
      try {
        const key = freshKey();
        await scoped.set(key, 'in db 3', { ttl: 60 });
        await expect(reader.get(`session:${key}`)).resolves.toBe('in db 3');
        await expect(reader.client('LIST')).resolves.toContain('name=nsm-test');
      } finally {
        await scoped.close();
        reader.disconnect();
        await locked.stop();
      }
    });

    it('should take the database from a URL', async () => {
      const scoped = new RedisStore({ url: `${server.url}/5` });
      const reader = new Redis({ port: server.port, db: 5 });
      try {
        const key = freshKey();
        await scoped.set(key, 'in db 5', { ttl: 60 });
        await expect(reader.get(`session:${key}`)).resolves.toBe('in db 5');
      } finally {
        await scoped.close();
        reader.disconnect();
      }
    });
  });

  describe('when it is closed', () => {
    it('should close the connection it opened', async () => {
      const own = new RedisStore({ url: server.url });
      await own.set(freshKey(), 'v', { ttl: 60 });
      const connected = await info(server, 'connected_clients');
      await own.close();
      expect(own.client.status).toBe('end');
      expect(await info(server, 'connected_clients')).toBe(connected - 1);
    });

    it('should refuse calls after close(), and serve again after open()', async () => {
      const own = new RedisStore({ url: server.url });
      const key = freshKey();
      await own.set(key, 'v', { ttl: 60 });
      await own.close();
      await expect(own.get(key)).rejects.toThrow('Connection is closed.');

      own.open();
      expect(await own.get(key)).toBe('v');
      await own.close();
      expect(own.client.status).toBe('end');
    });

    it('should open again once a close() in progress has finished', async () => {
      const own = new RedisStore({ url: server.url });
      const key = freshKey();
      await own.set(key, 'v', { ttl: 60 });
      const closing = own.close();
      own.open();
      await closing;

      expect(await own.get(key)).toBe('v');
      await own.close();
    });

    it('should leave a client that was passed in open', async () => {
      const client = new Redis({ port: server.port, host: '127.0.0.1' });
      const borrowed = new RedisStore({ client });
      try {
        const key = freshKey();
        await borrowed.set(key, 'v', { ttl: 60 });
        await borrowed.close();
        expect(borrowed.ownsClient).toBe(false);
        expect(client.status).toBe('ready');
        await expect(client.get(`session:${key}`)).resolves.toBe('v');
      } finally {
        await client.quit();
      }
    });
  });

  describe('when ioredis is not installed', () => {
    const missing = (name: string) => () => {
      throw Object.assign(new Error(`Cannot find module '${name}'`), { code: 'MODULE_NOT_FOUND' });
    };

    it('should say how to install it', () => {
      const load = () => loadIoredis(missing('ioredis'));
      expect(load).toThrow(SessionConfigurationError);
      expect(load).toThrow(
        'The "ioredis" package is missing. Install it (npm install ioredis) to use RedisStore.',
      );
    });

    it('should rethrow any other loading failure as is', () => {
      expect(() => loadIoredis(missing('cluster-key-slot'))).toThrow(
        "Cannot find module 'cluster-key-slot'",
      );
    });

    it('should not need it when a client is passed in', () => {
      const client = new Redis({ lazyConnect: true });
      expect(new RedisStore({ client }).client).toBe(client);
      client.disconnect();
    });
  });

  describe('when keys are hashed ids', () => {
    it('should keep the raw session id out of Redis', async () => {
      const id = 'raw-session-id-that-must-not-leak';
      await store.set(storeKey(id), 'v', { ttl: 60 });
      expect(await respCall(server.port, ['KEYS', `*${id}*`])).toEqual([]);
    });
  });
});
