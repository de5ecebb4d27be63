import { createClient, type RedisClientType } from 'redis';
import { RedisSessionFactory } from '../../../src/factories/redis-session.factory';
import { SessionConfigurationError } from '../../../src/session/session-configuration.error';
import { RedisStore } from '../../../src/stores/redis.store';
import { StoreTimeoutError } from '../../../src/stores/store-timeout.error';
import { startRedisServer, type RedisServer } from '../../support/redis-server';
import { respCall } from '../../support/resp';
import { freshKey } from './store-harness';

/** Generous bound for "fails fast": five times the deadline, never a tight timing. */
const bound = (timeoutMs: number) => timeoutMs * 5;

/** Command counts without the test's own bookkeeping commands. */
const appStats = async (server: RedisServer) => {
  const { 'config|resetstat': _reset, info: _info, ...stats } = await server.commandStats();
  return stats;
};

async function connected(server: RedisServer): Promise<RedisClientType> {
  const client: RedisClientType = createClient({ url: server.url });
  // node-redis emits connection errors as events; the store reports them as rejections.
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** What the ioredis suite (redis.store.spec.ts) checks, where a node-redis client differs. */
describe('RedisStore over a node-redis client', () => {
  let server: RedisServer;
  let client: RedisClientType;
  let store: RedisStore<RedisClientType>;

  beforeAll(async () => {
    server = await startRedisServer();
    client = await connected(server);
    store = new RedisStore({ client, prefix: 'app:' });
  }, 60_000);

  afterAll(async () => {
    await client.quit();
    await server.stop();
  });

  describe('when each method is called', () => {
    beforeEach(() => server.resetStats());

    it('should send one command each, with the prefix, EX and NX as ioredis does', async () => {
      const key = freshKey();
      await expect(store.set(key, 'v', { ttl: 60, onlyIfAbsent: true })).resolves.toBe(true);
      await expect(store.set(key, 'w', { ttl: 60, onlyIfAbsent: true })).resolves.toBe(false);
      await expect(store.get(key)).resolves.toBe('v');
      await expect(store.getAndTouch(key, 120)).resolves.toBe('v');
      await store.touch(key, 90);
      expect(Number(await respCall(server.port, ['TTL', `app:${key}`]))).toBe(90);
      await store.delete(key);
      await expect(store.get(key)).resolves.toBeUndefined();
      expect(await appStats(server)).toEqual({
        set: 2,
        get: 2,
        getex: 1,
        expire: 1,
        del: 1,
        ttl: 1,
      }); // ttl: the test's probe
    });

    it('should round a fractional TTL up and never send a zero expiry', async () => {
      const key = freshKey();
      await store.set(key, 'v', { ttl: 0.2 });
      expect(Number(await respCall(server.port, ['TTL', `app:${key}`]))).toBe(1);
      await expect(store.set(key, 'v', { ttl: 0, onlyIfAbsent: true })).resolves.toBe(false);
      await store.set(key, 'v', { ttl: -1 });
      await expect(store.get(key)).resolves.toBeUndefined();
      expect(await appStats(server)).toEqual({ set: 1, exists: 1, del: 1, get: 1, ttl: 1 }); // ttl: the test's probe
    });

    it('should read a Buffer reply (a client with a typeMapping) as text', async () => {
      const key = freshKey();
      await store.set(key, 'ünïcode', { ttl: 60 });
      const { RESP_TYPES } = await import('redis');
      const buffers = client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
      const bufferStore = new RedisStore({ client: buffers, prefix: 'app:' });
      await expect(bufferStore.get(key)).resolves.toBe('ünïcode');
    });
  });

  describe('when Redis answers with an error', () => {
    it('should reject with the original error', async () => {
      const key = freshKey();
      await respCall(server.port, ['LPUSH', `app:${key}`, 'x']);
      await expect(store.get(key)).rejects.toThrow(/^WRONGTYPE/);
    });
  });

  describe('when the server does not know GETEX (Redis < 6.2)', () => {
    it('should fall back to GET + EXPIRE, and stop trying GETEX', async () => {
      const old = await startRedisServer(['--rename-command', 'GETEX', '']);
      const oldClient = await connected(old);
      try {
        const legacy = new RedisStore({ client: oldClient });
        const key = freshKey();
        await legacy.set(key, 'v', { ttl: 5 });
        await old.resetStats();
        await expect(legacy.getAndTouch(key, 60)).resolves.toBe('v');
        await expect(legacy.getAndTouch(key, 60)).resolves.toBe('v');
        expect(await appStats(old)).toEqual({ get: 2, expire: 2 });
        expect(Number(await respCall(old.port, ['PTTL', `session:${key}`]))).toBeGreaterThan(
          50_000,
        );
      } finally {
        await oldClient.quit();
        await old.stop();
      }
    });
  });

  describe('when the server is frozen (SIGSTOP)', () => {
    it('should reject within the commandTimeout with a StoreTimeoutError', async () => {
      const frozen = await startRedisServer();
      const frozenClient = await connected(frozen);
      const quick = new RedisStore({ client: frozenClient, commandTimeout: 300 });
      try {
        await quick.set(freshKey(), 'v', { ttl: 60 });
        frozen.freeze();
        const start = Date.now();
        const error = await quick.get(freshKey()).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(StoreTimeoutError);
        expect(Date.now() - start).toBeLessThan(bound(300));
      } finally {
        frozen.thaw();
        frozenClient.destroy();
        await frozen.stop();
      }
    });
  });

  describe('when the client is closed', () => {
    it('should reject (never throw synchronously) and say the client is closed', async () => {
      const closed = await connected(server);
      await closed.quit();
      const orphan = new RedisStore({ client: closed });
      const pending = orphan.get(freshKey());
      await expect(pending).rejects.toThrow(/closed/i);
      await expect(orphan.set(freshKey(), 'v', { ttl: 60 })).rejects.toThrow(/closed/i);
    });
  });

  describe('when the store is closed', () => {
    it('should leave the client it was given open', async () => {
      const key = freshKey();
      const borrowed = new RedisStore({ client });
      await borrowed.set(key, 'v', { ttl: 60 });
      await borrowed.close();
      expect(borrowed.ownsClient).toBe(false);
      expect(client.isOpen).toBe(true);
      await expect(client.get(`session:${key}`)).resolves.toBe('v');
    });
  });

  describe('when the client option is not a Redis client', () => {
    it.each([
      ['a plain object', {}],
      ['a Map instance', new Map()],
      ['"redis://x"', 'redis://x'],
    ])('should refuse %s with what to pass instead', (label, client) => {
      expect(() => new RedisStore({ client: client as never })).toThrow(
        new SessionConfigurationError(
          `RedisStore: client (${label}) is not a Redis client. Pass an ioredis Redis or Cluster, or a node-redis client from createClient(), createCluster() or createSentinel().`,
        ),
      );
    });
  });

  describe('when RedisSessionFactory is given the client itself', () => {
    it('should wrap it in a RedisStore with the default prefix, and pass validation', () => {
      const factory = new RedisSessionFactory({
        redis: client,
        secret: 'x'.repeat(48),
        cookieName: 'auth',
      });
      expect(factory.store).toBeInstanceOf(RedisStore);
      expect((factory.store as RedisStore<RedisClientType>).client).toBe(client);
      expect((factory.store as RedisStore<RedisClientType>).prefix).toBe('session:');
      expect(() => factory.validate('auth')).not.toThrow();
    });
  });
});
