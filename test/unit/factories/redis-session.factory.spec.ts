import { RedisSessionFactory } from '../../../src/factories/redis-session.factory';
import type { RedisSessionFactoryOptions } from '../../../src/factories/redis-session.factory';
import { SessionConfigurationError } from '../../../src/session/session-configuration.error';
import { RedisStore } from '../../../src/stores/redis.store';

const SECRET = 'x'.repeat(40);
const made: RedisSessionFactory[] = [];

/** Options as a JavaScript caller or a ConfigService value typed as any can pass them. */
function factoryWith(redis: Record<string, unknown>): RedisSessionFactory {
  const factory = new RedisSessionFactory({
    secret: SECRET,
    cookieName: 'auth',
    redis,
  });
  made.push(factory);
  return factory;
}

afterAll(async () => {
  await Promise.all(made.map((f) => f.close()));
});

describe('RedisSessionFactory', () => {
  describe('when the redis options name no server', () => {
    it.each<[string, Record<string, unknown>, string]>([
      [
        'an empty object',
        {},
        'Namespace "auth": RedisStore: no connection target: give url, host/port, sentinels + name, cluster nodes, or a client. Without one, ioredis would connect to 127.0.0.1:6379.',
      ],
      [
        'a url read from an unset environment variable',
        { url: process.env['NSM_SURELY_UNSET_REDIS_URL'], prefix: 'app:auth:' },
        'Namespace "auth": RedisStore: no connection target (url is undefined: is an environment variable unset?): give url, host/port, sentinels + name, cluster nodes, or a client. Without one, ioredis would connect to 127.0.0.1:6379.',
      ],
    ])('should fail validate() on %s, naming what is missing', (_label, redis, message) => {
      const factory = factoryWith(redis);
      expect(() => factory.validate('auth')).toThrow(SessionConfigurationError);
      expect(() => factory.validate('auth')).toThrow(message);
    });

    it('should fail the store calls with the same message rather than reach 127.0.0.1:6379', async () => {
      const factory = factoryWith({});
      expect(factory.store).not.toBeInstanceOf(RedisStore);
      await expect(factory.store.get('k')).rejects.toThrow(
        'RedisStore: no connection target: give url, host/port, sentinels + name, cluster nodes, or a client.',
      );
    });
  });

  describe('when a redis option name is misspelt', () => {
    it.each<[Record<string, unknown>, string]>([
      [
        { ur: 'redis://127.0.0.1:6391' },
        'Namespace "auth": RedisStore: unknown option "ur". Did you mean "url"?',
      ],
      [
        { url: 'redis://127.0.0.1:6391', prefx: 'app:' },
        'Namespace "auth": RedisStore: unknown option "prefx". Did you mean "prefix"?',
      ],
      [
        { url: 'redis://127.0.0.1:6391', commandTimout: 500 },
        'Namespace "auth": RedisStore: unknown option "commandTimout". Did you mean "commandTimeout"?',
      ],
    ])('should fail validate() on %o, suggesting the name', (redis, message) => {
      const factory = factoryWith(redis);
      expect(() => factory.validate('auth')).toThrow(message);
    });

    it('should report a misspelt top-level option first', () => {
      const factory = new RedisSessionFactory({
        secret: SECRET,
        cookieName: 'auth',
        redis: { ur: 'redis://127.0.0.1:6391' },
        maxAgee: 60,
      } as unknown as RedisSessionFactoryOptions);
      made.push(factory);
      expect(() => factory.validate('auth')).toThrow(
        'Namespace "auth": unknown option "maxAgee". Did you mean "maxAge"?',
      );
    });
  });

  describe('when the redis options name a server', () => {
    it.each<[string, Record<string, unknown>]>([
      ['a url', { url: 'redis://127.0.0.1:6391/2', prefix: 'app:auth:' }],
      ['a host alone', { host: 'redis.internal' }],
      ['a port alone', { port: 6391 }],
      [
        'sentinels and a name',
        { sentinels: [{ host: '127.0.0.1', port: 26391 }], name: 'mymaster' },
      ],
      ['cluster nodes', { cluster: [{ host: '127.0.0.1', port: 7391 }] }],
    ])('should validate %s and open a RedisStore without connecting', (_label, redis) => {
      const factory = factoryWith(redis);
      expect(() => factory.validate('auth')).not.toThrow();
      expect(factory.store).toBeInstanceOf(RedisStore);
      expect((factory.store as RedisStore).client.status).toBe('wait');
    });
  });
});
