import { Redis } from 'ioredis';
import { RedisSessionFactory } from '../../../src/factories/redis-session.factory';
import { redisSessionFactoryFromSettings } from '../../../src/factories/redis-settings';
import { SessionConfigurationError } from '../../../src/session/session-configuration.error';
import type { RedisStore } from '../../../src/stores/redis.store';

const SECRET = 'settings-secret-0123456789abcdef0123456789abcdef';
const made: RedisSessionFactory[] = [];

function build(settings: Record<string, unknown>, prefix?: string): RedisSessionFactory {
  const factory = redisSessionFactoryFromSettings(
    { 'redis.sessions.secret': SECRET, 'redis.sessions.cookie_name': 'auth', ...settings },
    ...(prefix === undefined ? [] : [prefix]),
  );
  made.push(factory);
  return factory;
}

function storeOf(factory: RedisSessionFactory): RedisStore {
  return factory.store as RedisStore;
}

afterAll(async () => {
  await Promise.all(made.map((f) => f.close()));
});

describe('redisSessionFactoryFromSettings', () => {
  describe('when given pyramid_session_redis settings as strings', () => {
    it('should coerce every value and map it to our option', () => {
      const factory = build({
        'redis.sessions.timeout': '3600',
        'redis.sessions.timeout_trigger': '600',
        'redis.sessions.python_expires': 'True',
        'redis.sessions.set_redis_ttl': 'yes',
        'redis.sessions.detect_changes': 'false',
        'redis.sessions.deserialized_fails_new': 'off',
        'redis.sessions.invalidate_empty_session': '0',
        'redis.sessions.cookie_max_age': '86400',
        'redis.sessions.cookie_path': '/app',
        'redis.sessions.cookie_domain': 'example.com',
        'redis.sessions.cookie_secure': 'true',
        'redis.sessions.cookie_httponly': 'false',
        'redis.sessions.cookie_samesite': 'Strict',
        'redis.sessions.cookie_on_exception': 'false',
        'redis.sessions.redis_url': 'redis://:pw@127.0.0.1:6390/3',
        'redis.sessions.redis_socket_timeout': '0.25',
        'redis.sessions.prefix': 'app:auth:',
      });
      factory.validate('auth');
      expect(factory.describe()).toMatchObject({
        type: 'RedisSessionFactory',
        timeout: 3600,
        timeoutTrigger: 600,
        expiryInPayload: true,
        setStoreTtl: true,
        detectChanges: false,
        deserializedFailsNew: false,
        invalidateEmptySession: false,
        prefix: 'app:auth:',
        commandTimeout: 250,
      });
      expect(factory.cookieOptions).toEqual({
        name: 'auth',
        maxAge: 86400,
        path: '/app',
        domain: 'example.com',
        secure: true,
        httpOnly: false,
        sameSite: 'strict',
        partitioned: false,
      });
      const client = storeOf(factory).client as Redis;
      expect([client.options.port, client.options.db, client.options.password]).toEqual([
        6390,
        3,
        'pw',
      ]);
    });

    it('should read "None" and 0 as no timeout, no trigger and no max-age', () => {
      const factory = build({
        'redis.sessions.timeout': 'None',
        'redis.sessions.timeout_trigger': '0',
        'redis.sessions.cookie_max_age': 'None',
        'redis.sessions.redis_socket_timeout': 'None',
        'redis.sessions.redis_port': '6391',
      });
      expect(factory.describe()).toMatchObject({ timeout: null, timeoutTrigger: null });
      expect(factory.cookieOptions.maxAge).toBeUndefined();
      expect(storeOf(factory).commandTimeout).toBe(1000);
    });

    it('should accept pyramid_redis_sessions names and treat empty values as unset', () => {
      const factory = build({
        'redis.sessions.host': '127.0.0.1',
        'redis.sessions.port': '6392',
        'redis.sessions.db': '2',
        'redis.sessions.cookie_domain': '',
        'redis.sessions.charset': 'utf-8',
        'redis.sessions.errors': 'strict',
      });
      const client = storeOf(factory).client as Redis;
      expect([client.options.port, client.options.db]).toEqual([6392, 2]);
      expect(factory.cookieOptions.domain).toBeUndefined();
    });

    it('should read env-style keys case-insensitively under another prefix', () => {
      const factory = redisSessionFactoryFromSettings(
        {
          REDIS_SESSIONS_SECRET: SECRET,
          REDIS_SESSIONS_COOKIE_NAME: 'auth',
          REDIS_SESSIONS_SET_REDIS_TTL_READHEAVY: 'true',
          REDIS_SESSIONS_REDIS_SENTINELS: '127.0.0.1:26390, 127.0.0.1:26391',
          REDIS_SESSIONS_REDIS_SENTINEL_NAME: 'mymaster',
          PATH: '/usr/bin',
        },
        'REDIS_SESSIONS_',
      );
      made.push(factory);
      expect(factory.describe()).toMatchObject({ touchOnRead: true });
      expect((storeOf(factory).client as Redis).options.sentinels).toEqual([
        { host: '127.0.0.1', port: 26390 },
        { host: '127.0.0.1', port: 26391 },
      ]);
    });
  });

  describe('when callables are given', () => {
    it('should call the connection callable with the connection settings and never close its client', async () => {
      const seen: unknown[] = [];
      const client = new Redis({ lazyConnect: true, port: 6393 });
      const factory = build({
        'redis.sessions.redis_port': '6393',
        'redis.sessions.prefix': 'p:',
        'redis.sessions.redis_client_callable': (options: unknown) => {
          seen.push(options);
          return client;
        },
      });
      expect(seen).toEqual([{ port: 6393 }]);
      expect(storeOf(factory).client).toBe(client);
      expect(storeOf(factory).prefix).toBe('p:');
      await factory.close();
      expect(client.status).toBe('wait');
      client.disconnect();
    });

    it('should use encode/decode as the payload serializer and onInvalidSession from func_invalid_logger', () => {
      const encode = (v: unknown) => JSON.stringify(v);
      const decode = (t: string) => JSON.parse(t) as unknown;
      const logger = () => undefined;
      expect(() =>
        build({
          'redis.sessions.encode': encode,
          'redis.sessions.decode': decode,
          'redis.sessions.func_invalid_logger': logger,
          'redis.sessions.redis_port': '6394',
        }).validate('auth'),
      ).not.toThrow();
    });
  });

  describe('when a setting cannot work', () => {
    it.each<[string, Record<string, unknown>, string]>([
      [
        'an unknown key',
        { 'redis.sessions.timeuot': '60' },
        `Setting "redis.sessions.timeuot" is not a known session setting. Remove it or fix its name (see the pyramid_session_redis mapping table in docs/migrating.md).`,
      ],
      [
        'a bad boolean',
        { 'redis.sessions.detect_changes': 'maybe' },
        'Setting "redis.sessions.detect_changes" is "maybe"; it must be true or false. Fix the value.',
      ],
      [
        'a bad timeout',
        { 'redis.sessions.timeout': '20m' },
        'Setting "redis.sessions.timeout" is "20m"; it must be a whole number of seconds, or "None"/0 for none. Fix the value.',
      ],
      [
        'a bad port',
        { 'redis.sessions.redis_port': '0' },
        'Setting "redis.sessions.redis_port" is "0"; it must be a port number. Fix the value.',
      ],
      [
        'a bad samesite',
        { 'redis.sessions.cookie_samesite': 'loose' },
        'Setting "redis.sessions.cookie_samesite" is "loose"; it must be one of "lax", "strict", "none". Fix the value.',
      ],
      [
        'a dotted path for a callable',
        { 'redis.sessions.func_invalid_logger': 'app.metrics.log_invalid' },
        'Setting "redis.sessions.func_invalid_logger" is the string "app.metrics.log_invalid"; dotted paths cannot be resolved in JavaScript. Put the function itself in the settings object.',
      ],
      [
        'cookie_expires',
        { 'redis.sessions.cookie_expires': '3600' },
        'Setting "redis.sessions.cookie_expires" cannot be read from settings (pyramid_session_redis refuses it too). Use cookie_max_age, or session.recookie({ expires }) per response.',
      ],
      [
        'a connection pool',
        { 'redis.sessions.connection_pool': 'x' },
        'Setting "redis.sessions.connection_pool" cannot be read from settings (pyramid_session_redis refuses it too). Pass an ioredis client with redis_client_callable, or build RedisSessionFactory in code.',
      ],
      [
        'an old and a new name together',
        { 'redis.sessions.url': 'redis://a', 'redis.sessions.redis_url': 'redis://b' },
        'Settings "redis.sessions.url" and "redis.sessions.redis_url" are the same setting. Keep only one of them.',
      ],
      [
        'serialize without deserialize',
        { 'redis.sessions.serialize': JSON.stringify },
        'Setting "redis.sessions.deserialize" is missing; serialize and deserialize must be given together. Add the other function, or remove both.',
      ],
      [
        'a non-UTF-8 encoding',
        { 'redis.sessions.redis_encoding': 'latin-1' },
        'Setting "redis.sessions.redis_encoding" is not supported: ioredis reads and writes UTF-8. Remove the setting.',
      ],
    ])('should refuse %s, naming the key', (_case, settings, message) => {
      expect(() => build(settings)).toThrow(new SessionConfigurationError(message));
    });

    it('should refuse settings without a secret', () => {
      expect(() => redisSessionFactoryFromSettings({ 'redis.sessions.cookie_name': 'a' })).toThrow(
        'Setting "redis.sessions.secret" is missing; it is required. Set it to a random secret of 32 bytes or more.',
      );
    });

    it('should report settings that name no Redis server at validate(), not use 127.0.0.1:6379', () => {
      const factory = build({
        'redis.sessions.url': process.env['NSM_SURELY_UNSET_REDIS_URL'],
        'redis.sessions.timeout': '60',
      });
      expect(() => factory.validate('auth')).toThrow(
        'Namespace "auth": RedisStore: no connection target: give url, host/port, sentinels + name, cluster nodes, or a client. Without one, ioredis would connect to 127.0.0.1:6379.',
      );
    });

    it('should report option combinations at validate() with the namespace', () => {
      const factory = build({
        'redis.sessions.timeout': '60',
        'redis.sessions.timeout_trigger': '60',
        'redis.sessions.redis_port': '6395',
      });
      expect(() => factory.validate('auth')).toThrow(
        'Namespace "auth": timeoutTrigger is 60; it must be a whole number of seconds below timeout (60). Lower timeoutTrigger or remove it.',
      );
    });
  });
});

describe('RedisSessionFactory', () => {
  describe('when redis options cannot work', () => {
    it('should report the RedisStore problem at validate() with the namespace', () => {
      const factory = new RedisSessionFactory({
        redis: { url: 'redis://x', cluster: [{ host: 'a', port: 1 }] },
        secret: SECRET,
        cookieName: 'auth',
      });
      expect(() => factory.validate('auth')).toThrow(
        'Namespace "auth": RedisStore: options "url/host/port" and "cluster" were both given, but they are different ways to connect. Give only one of client, url (or host/port), sentinels + name, or cluster.',
      );
    });
  });

  describe('when setRedisTtl and setStoreTtl disagree', () => {
    it('should refuse them', () => {
      const factory = new RedisSessionFactory({
        redis: { port: 6396 },
        secret: SECRET,
        cookieName: 'auth',
        setRedisTtl: false,
        setStoreTtl: true,
      });
      made.push(factory);
      expect(() => factory.validate('auth')).toThrow(
        'Namespace "auth": setStoreTtl is true but its alias setRedisTtl is false. Give only one of them.',
      );
    });
  });

  describe('when given a client', () => {
    it('should wrap it in a RedisStore and leave it open on close()', async () => {
      const client = new Redis({ lazyConnect: true, port: 6397 });
      const factory = new RedisSessionFactory({ redis: client, secret: SECRET, cookieName: 'a' });
      expect(storeOf(factory).client).toBe(client);
      expect(storeOf(factory).ownsClient).toBe(false);
      await factory.close();
      expect(client.status).toBe('wait');
      client.disconnect();
    });
  });

  describe('when setRedisTtl is false', () => {
    it('should run in LRU mode', () => {
      const factory = new RedisSessionFactory({
        redis: { port: 6398 },
        secret: SECRET,
        cookieName: 'a',
        setRedisTtl: false,
      });
      made.push(factory);
      expect(factory.describe()).toMatchObject({ setStoreTtl: false, expiryInPayload: true });
    });
  });
});
