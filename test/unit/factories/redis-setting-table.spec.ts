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
            `Setting "redis.sessions.${name}" is not a known session setting. Remove it or fix its name (see the README's pyramid_session_redis mapping table).`,
          ),
        );
      },
    );
  });
});
