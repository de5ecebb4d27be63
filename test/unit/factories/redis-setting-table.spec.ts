import { SETTING_SPECS } from '../../../src/factories/redis-setting-table';
import { redisSessionFactoryFromSettings } from '../../../src/factories/redis-settings';
import { SessionConfigurationError } from '../../../src/session/session-configuration.error';

const SECRET = 'settings-secret-0123456789abcdef0123456789abcdef';

describe('SETTING_SPECS', () => {
  describe('when a setting is named after a member of Object.prototype', () => {
    it.each(['__proto__', 'constructor', 'hasOwnProperty', 'valueOf'])(
      'should not know "%s"',
      (name) => {
        expect(Object.getPrototypeOf(SETTING_SPECS)).toBeNull();
        expect(SETTING_SPECS[name]).toBeUndefined();
      },
    );

    it.each(['__proto__', 'constructor'])(
      'should make redisSessionFactoryFromSettings refuse "redis.sessions.%s" as unknown',
      (name) => {
        const settings = JSON.parse(
          `{"redis.sessions.secret":"${SECRET}","redis.sessions.${name}":"0"}`,
        ) as Record<string, string>;
        expect(() => redisSessionFactoryFromSettings(settings)).toThrow(
          new SessionConfigurationError(
            `Setting "redis.sessions.${name}" is not a known session setting. Remove it or fix its name (see the pyramid_session_redis mapping table in docs/migrating.md).`,
          ),
        );
      },
    );
  });

  describe('when redis_url is text ioredis cannot parse as a URL', () => {
    it.each(['127.0.0.1:6380,127.0.0.1:6381', 'x y', 'redis://[::1'])(
      'should refuse "%s" with SessionConfigurationError, not a TypeError from ioredis',
      (url) => {
        expect(() =>
          redisSessionFactoryFromSettings({
            'redis.sessions.secret': SECRET,
            'redis.sessions.redis_url': url,
          }),
        ).toThrow(
          new SessionConfigurationError(
            `Setting "redis.sessions.redis_url" is "${url}"; it must be a Redis URL such as "redis://127.0.0.1:6379/0". Fix the value.`,
          ),
        );
      },
    );

    it.each(['redis://127.0.0.1:6390/3', '127.0.0.1:6390', '6390', '/tmp/redis.sock'])(
      'should still accept "%s"',
      async (url) => {
        const factory = redisSessionFactoryFromSettings({
          'redis.sessions.secret': SECRET,
          'redis.sessions.redis_url': url,
        });
        await factory.close();
      },
    );
  });
});
