import { Test } from '@nestjs/testing';
import { ServerSessionFactory } from '../../../src/factories/server-session.factory';
import {
  resolveServerSettings,
  type ServerSessionOptions,
} from '../../../src/factories/server-session.options';
import { SessionMultiModule } from '../../../src/module/session-multi.module';
import { SessionConfigurationError } from '../../../src/session/session-configuration.error';
import { RecordingStore } from './server-session.fixtures';

const SECRET = 'server-secret-0123456789abcdef0123456789abcdef';

function validate(options: Partial<ServerSessionOptions>): () => void {
  const factory = new ServerSessionFactory({
    store: new RecordingStore(),
    secret: SECRET,
    cookieName: 'auth',
    ...options,
  });
  return () => factory.validate('auth');
}

describe('ServerSessionFactory options', () => {
  describe('when the options can work', () => {
    it('should resolve the defaults: 1200 s, store TTL, touch refresh, no expiry in payload', () => {
      const factory = new ServerSessionFactory({
        store: new RecordingStore(),
        secret: SECRET,
        cookieName: 'auth',
      });
      expect(factory.validate('auth')).toBeUndefined();
      expect(factory.describe()).toMatchObject({
        type: 'ServerSessionFactory',
        store: 'RecordingStore',
        timeout: 1200,
        timeoutTrigger: null,
        expiryInPayload: false,
        setStoreTtl: true,
        touchOnRead: false,
        refresh: 'touch',
        detectChanges: true,
        deserializedFailsNew: true,
        invalidateEmptySession: true,
        onStoreError: 'throw',
        secrets: 1,
      });
      expect(JSON.stringify(factory.describe())).not.toContain(SECRET);
    });

    it('should put the expiry in the payload in LRU mode, with a default trigger of 9/10', () => {
      const s = resolveServerSettings({
        store: new RecordingStore(),
        secret: SECRET,
        cookieName: 'a',
        setStoreTtl: false,
      });
      expect([s.expiryInPayload, s.trigger]).toEqual([true, 1080]);
    });

    it('should treat timeout 0 as no timeout', () => {
      const s = resolveServerSettings({
        store: new RecordingStore(),
        secret: SECRET,
        cookieName: 'a',
        timeout: 0,
      });
      expect(s.timeout).toBeNull();
    });
  });

  describe('when an option cannot work', () => {
    it.each<[string, Partial<ServerSessionOptions>, string]>([
      [
        'a short secret',
        { secret: 'short' },
        `Namespace "auth": secret is 5 bytes; at least 32 are required. Use a longer secret (e.g. crypto.randomBytes(32).toString('base64')).`,
      ],
      [
        'no store',
        { store: undefined },
        'Namespace "auth": store is missing. Pass a store, e.g. store: new MemoryStore() or new RedisStore({ url }).',
      ],
      [
        'a negative timeout',
        { timeout: -5 },
        'Namespace "auth": timeout is the number -5; it must be a whole number of seconds, 0 or more, or null for no timeout. Fix the timeout option.',
      ],
      [
        'a trigger not below the timeout',
        { timeout: 600, timeoutTrigger: 600 },
        'Namespace "auth": timeoutTrigger is 600; it must be a whole number of seconds below timeout (600). Lower timeoutTrigger or remove it.',
      ],
      [
        'a trigger with expiryInPayload false',
        { timeoutTrigger: 60, expiryInPayload: false },
        'Namespace "auth": timeoutTrigger needs the expiry in the payload, but expiryInPayload is false. Remove expiryInPayload: false or timeoutTrigger.',
      ],
      [
        'LRU mode with the expiry kept out of the payload',
        { setStoreTtl: false, expiryInPayload: false },
        'Namespace "auth": setStoreTtl is false and expiryInPayload is false, so the timeout would be enforced nowhere. Remove expiryInPayload: false, or set timeout: null for sessions that never time out.',
      ],
      [
        'touchOnRead with a trigger',
        { touchOnRead: true, timeoutTrigger: 60 },
        'Namespace "auth": touchOnRead resets the store TTL while reading, so it needs a timeout, setStoreTtl: true, and the expiry kept out of the payload (no timeoutTrigger, expiryInPayload: false). Change those options or drop touchOnRead.',
      ],
      [
        'touchOnRead in LRU mode',
        { touchOnRead: true, setStoreTtl: false },
        'Namespace "auth": touchOnRead resets the store TTL while reading, so it needs a timeout, setStoreTtl: true, and the expiry kept out of the payload (no timeoutTrigger, expiryInPayload: false). Change those options or drop touchOnRead.',
      ],
      [
        'a fractional maxLifetime',
        { maxLifetime: 1.5 },
        'Namespace "auth": maxLifetime is the number 1.5; it must be a whole number of seconds, 1 or more. Fix the maxLifetime option.',
      ],
      [
        'an unknown onStoreError',
        { onStoreError: 'ignore' as 'throw' },
        `Namespace "auth": onStoreError is the string "ignore"; it must be 'throw' or 'fail-open'. Fix the onStoreError option.`,
      ],
      [
        'an idGenerator returning short ids',
        { idGenerator: () => 'abc' },
        `Namespace "auth": idGenerator returned a value that is not 22 to 128 characters of [A-Za-z0-9_-]. Return base64url text of at least 16 random bytes, e.g. crypto.randomBytes(32).toString('base64url').`,
      ],
      [
        'an unknown hash algorithm',
        { hashAlgorithm: 'md17' },
        `Namespace "auth": hashAlgorithm "md17" is not available in this Node.js build. Use one of crypto.getHashes(), e.g. 'sha512'.`,
      ],
    ])('should refuse %s with an exact message', (_case, options, message) => {
      expect(validate(options)).toThrow(new SessionConfigurationError(message));
    });
  });

  describe('when registered through SessionMultiModule', () => {
    it('should fail at compile() with the namespace in the message', async () => {
      const moduleRef = Test.createTestingModule({
        imports: [
          SessionMultiModule.forRoot({
            sessions: [
              {
                namespace: 'auth',
                factory: new ServerSessionFactory({
                  store: new RecordingStore(),
                  secret: SECRET,
                  cookieName: 'auth',
                  timeout: 60,
                  timeoutTrigger: 90,
                }),
              },
            ],
          }),
        ],
      });
      await expect(moduleRef.compile()).rejects.toThrow(
        'Namespace "auth": timeoutTrigger is 90; it must be a whole number of seconds below timeout (60). Lower timeoutTrigger or remove it.',
      );
    });
  });
});
