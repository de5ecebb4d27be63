import { jest } from '@jest/globals';
import { recordingLogger } from '../../support/recording-logger';
import {
  SignedCookieSessionFactory,
  type SignedCookieSessionOptions,
} from '../../../src/factories/signed-cookie-session.factory';
import { SessionConfigurationError } from '../../../src/session/session-configuration.error';
import type { InvalidSession } from '../../../src/session/invalid-session.errors';
import {
  InvalidSessionDeserialization,
  InvalidSessionLifetime,
  InvalidSessionNoCookie,
  InvalidSessionSignature,
  InvalidSessionTimeout,
} from '../../../src/session/invalid-session.errors';
import { SECRET_A, SECRET_B } from '../../support/create-test-app';
import { loadContext } from '../../support/factory-context';
import { mintSignedCookie } from '../../support/signed-cookie';

const T0 = 1_800_000_000;

function factory(options: Partial<SignedCookieSessionOptions> = {}): SignedCookieSessionFactory {
  return new SignedCookieSessionFactory({ secret: SECRET_A, cookieName: 'ui', ...options });
}

function hookSpy(): jest.Mock<(req: unknown, reason: InvalidSession) => void> {
  return jest.fn<(req: unknown, reason: InvalidSession) => void>();
}

beforeEach(() => {
  jest.useFakeTimers({ now: T0 * 1000 });
});

afterEach(() => {
  jest.useRealTimers();
  jest.restoreAllMocks();
});

describe('SignedCookieSessionFactory', () => {
  describe('when built with only a secret and a cookie name', () => {
    it("should use Pyramid's defaults, made safer (HttpOnly, SameSite=Lax, secure auto)", () => {
      const f = factory();
      expect(f.cookieName).toBe('ui');
      expect(f.cookieOptions).toEqual({
        name: 'ui',
        maxAge: undefined,
        path: '/',
        domain: undefined,
        secure: 'auto',
        httpOnly: true,
        sameSite: 'lax',
        partitioned: false,
      });
      expect(f.describe()).toEqual({
        type: 'SignedCookieSessionFactory',
        cookie: f.cookieOptions,
        timeout: 1200,
        reissueTime: 120,
        maxLifetime: null,
        hashAlgorithm: 'sha512',
        secrets: 1,
        detectChanges: true,
      });
    });

    it('should never describe the secret', () => {
      expect(JSON.stringify(factory({ secret: [SECRET_A, SECRET_B] }).describe())).not.toContain(
        SECRET_A,
      );
    });

    it('should not change the options object it was given', () => {
      const options: SignedCookieSessionOptions = { secret: [SECRET_A], cookieName: 'ui' };
      const copy = JSON.parse(JSON.stringify(options)) as unknown;
      new SignedCookieSessionFactory(options);
      expect(options).toEqual(copy);
    });
  });

  describe('when timeout and reissueTime are configured', () => {
    it('should default reissueTime to a tenth of timeout', () => {
      expect(factory({ timeout: 600 }).describe()['reissueTime']).toBe(60);
    });

    it('should turn reissueTime off when timeout is null', () => {
      expect(factory({ timeout: null }).describe()).toMatchObject({
        timeout: null,
        reissueTime: null,
      });
    });

    it('should keep an explicit reissueTime', () => {
      expect(factory({ reissueTime: 0 }).describe()['reissueTime']).toBe(0);
    });
  });

  describe('when validated', () => {
    it('should accept a good configuration', () => {
      expect(() => factory({ secret: [SECRET_A, SECRET_B] }).validate('ui')).not.toThrow();
    });

    it.each<[string, Partial<SignedCookieSessionOptions>, string]>([
      [
        'a short secret',
        { secret: 'too-short' },
        'Namespace "ui": secret is 9 bytes; at least 32 are required. Use a longer secret (e.g. crypto.randomBytes(32).toString(\'base64\')).',
      ],
      [
        'an empty secret list',
        { secret: [] },
        'Namespace "ui": secret is missing or an empty list; at least one secret is required. Pass secret: process.env.SESSION_SECRET (32 bytes or more).',
      ],
      [
        'a missing secret',
        { secret: undefined },
        'Namespace "ui": secret is missing or an empty list; at least one secret is required. Pass secret: process.env.SESSION_SECRET (32 bytes or more).',
      ],
      [
        'a short old secret in a rotation list',
        { secret: [SECRET_A, 'old'] },
        'Namespace "ui": secret[1] is 3 bytes; at least 32 are required. Use a longer secret (e.g. crypto.randomBytes(32).toString(\'base64\')).',
      ],
      [
        'an unknown hash algorithm',
        { hashAlgorithm: 'sha-nope' },
        'Namespace "ui": hashAlgorithm "sha-nope" is not available in this Node.js build. Use one of crypto.getHashes(), e.g. \'sha512\'.',
      ],
      [
        'a negative timeout',
        { timeout: -1 },
        'Namespace "ui": timeout is the number -1; it must be a whole number of seconds, 1 or more, or null for no timeout. Fix the timeout option.',
      ],
      [
        'a NaN reissueTime',
        { reissueTime: NaN },
        'Namespace "ui": reissueTime is NaN; it must be a whole number of seconds, 0 or more, or null to never re-issue on reads. Fix the reissueTime option.',
      ],
      [
        'an infinite maxLifetime',
        { maxLifetime: Infinity },
        'Namespace "ui": maxLifetime is Infinity; it must be a whole number of seconds, 1 or more. Fix the maxLifetime option.',
      ],
    ])('should reject %s with the exact message', (_case, options, message) => {
      expect(() => factory(options).validate('ui')).toThrow(new SessionConfigurationError(message));
    });

    it('should not throw from the constructor, so the message can name the namespace', () => {
      expect(() => factory({ secret: 'short', hashAlgorithm: 'nope' })).not.toThrow();
    });
  });

  describe('when the request has no cookie', () => {
    it('should give a new empty session created now, without calling the hook', () => {
      const onInvalidSession = hookSpy();
      const session = factory({ onInvalidSession }).load(loadContext('ui'));
      expect(session.isNew).toBe(true);
      expect(session.size).toBe(0);
      expect(session.created).toBe(T0);
      expect(session.namespace).toBe('ui');
      expect(onInvalidSession).not.toHaveBeenCalled();
    });

    it('should ignore an empty cookie value', () => {
      const onInvalidSession = hookSpy();
      factory({ onInvalidSession }).load(loadContext('ui', { ui: '' }));
      expect(onInvalidSession).not.toHaveBeenCalled();
    });

    it('should report InvalidSessionNoCookie when reportMissingCookie is on', () => {
      const onInvalidSession = hookSpy();
      const ctx = loadContext('ui');
      factory({ onInvalidSession, reportMissingCookie: true }).load(ctx);
      expect(onInvalidSession).toHaveBeenCalledWith(ctx.req, expect.any(InvalidSessionNoCookie));
    });
  });

  describe('when the cookie is valid', () => {
    it('should load its data, created time and isNew false', () => {
      const cookie = mintSignedCookie({
        secret: SECRET_A,
        namespace: 'ui',
        renewed: T0 - 10,
        created: T0 - 500,
        data: { theme: 'dark', list: [1, 2] },
      });
      const session = factory().load(loadContext('ui', { ui: cookie }));
      expect(session.isNew).toBe(false);
      expect(session.created).toBe(T0 - 500);
      expect(session.toJSON()).toEqual({ theme: 'dark', list: [1, 2] });
    });

    it('should drop a "__proto__" key from the payload', () => {
      const cookie = mintSignedCookie({
        secret: SECRET_A,
        namespace: 'ui',
        rawPayload: `[${T0},${T0},{"__proto__":{"polluted":1},"a":1}]`,
      });
      const session = factory().load(loadContext('ui', { ui: cookie }));
      expect(session.keys()).toEqual(['a']);
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    });

    it('should verify with any secret of the list', () => {
      const cookie = mintSignedCookie({ secret: SECRET_B, namespace: 'ui', data: { a: 1 } });
      const session = factory({ secret: [SECRET_A, SECRET_B] }).load(
        loadContext('ui', { ui: cookie }),
      );
      expect(session.get('a')).toBe(1);
    });

    it('should use the configured salt and hash algorithm', () => {
      const cookie = mintSignedCookie({
        secret: SECRET_A,
        namespace: 'ui',
        data: { a: 1 },
        salt: 'my-salt.',
        hashAlgorithm: 'sha256',
      });
      const good = factory({ salt: 'my-salt.', hashAlgorithm: 'sha256' });
      expect(good.load(loadContext('ui', { ui: cookie })).get('a')).toBe(1);
      expect(
        factory({ hashAlgorithm: 'sha256' }).load(loadContext('ui', { ui: cookie })).isNew,
      ).toBe(true);
      expect(factory({ salt: 'my-salt.' }).load(loadContext('ui', { ui: cookie })).isNew).toBe(
        true,
      );
    });

    it('should decode with the configured serializer', () => {
      const serializer = {
        serialize: (v: unknown) => `v1:${JSON.stringify(v)}`,
        deserialize: (text: string) => {
          if (!text.startsWith('v1:')) {
            throw new Error('not v1');
          }
          return JSON.parse(text.slice(3)) as unknown;
        },
      };
      const cookie = mintSignedCookie({
        secret: SECRET_A,
        namespace: 'ui',
        rawPayload: `v1:[${T0},${T0},{"a":1}]`,
      });
      expect(
        factory({ serializer })
          .load(loadContext('ui', { ui: cookie }))
          .get('a'),
      ).toBe(1);
    });
  });

  describe('when the cookie is refused', () => {
    const valid = (): string =>
      mintSignedCookie({ secret: SECRET_A, namespace: 'ui', data: { a: 1 } });

    it.each<[string, () => string, typeof InvalidSession]>([
      [
        'tampered',
        () => valid().replace(/^./, (c) => (c === 'W' ? 'X' : 'W')),
        InvalidSessionSignature,
      ],
      ['truncated', () => valid().slice(0, -2), InvalidSessionSignature],
      ['extended', () => `${valid()}AA`, InvalidSessionSignature],
      [
        'signed with another secret',
        () => mintSignedCookie({ secret: SECRET_B, namespace: 'ui', data: { a: 1 } }),
        InvalidSessionSignature,
      ],
      [
        'minted for another namespace',
        () => mintSignedCookie({ secret: SECRET_A, namespace: 'cart', data: { a: 1 } }),
        InvalidSessionSignature,
      ],
      ['garbage', () => 'not-a-cookie', InvalidSessionSignature],
      ['oversized', () => 'A'.repeat(9000), InvalidSessionSignature],
      [
        'signed but not JSON',
        () => mintSignedCookie({ secret: SECRET_A, namespace: 'ui', rawPayload: '{nope' }),
        InvalidSessionDeserialization,
      ],
      [
        'signed JSON of the wrong shape',
        () => mintSignedCookie({ secret: SECRET_A, namespace: 'ui', rawPayload: '{"a":1}' }),
        InvalidSessionDeserialization,
      ],
      [
        'signed with a non-object data part',
        () =>
          mintSignedCookie({ secret: SECRET_A, namespace: 'ui', rawPayload: `[${T0},${T0},[1]]` }),
        InvalidSessionDeserialization,
      ],
      [
        'idle past the timeout',
        () =>
          mintSignedCookie({
            secret: SECRET_A,
            namespace: 'ui',
            renewed: T0 - 1201,
            data: { a: 1 },
          }),
        InvalidSessionTimeout,
      ],
    ])(
      'should give a new empty session when the cookie is %s, and report the reason',
      (_case, make, reason) => {
        const onInvalidSession = hookSpy();
        const ctx = loadContext('ui', { ui: make() });
        const session = factory({ onInvalidSession }).load(ctx);
        expect(session.isNew).toBe(true);
        expect(session.size).toBe(0);
        expect(onInvalidSession).toHaveBeenCalledTimes(1);
        expect(onInvalidSession.mock.calls[0]![0]).toBe(ctx.req);
        expect(onInvalidSession.mock.calls[0]![1]).toBeInstanceOf(reason);
        expect(onInvalidSession.mock.calls[0]![1].namespace).toBe('ui');
      },
    );

    it('should log one debug line with the reason and without the cookie value', () => {
      const logger = recordingLogger();
      const debug = logger.debug;
      const cookie = `${valid()}AA`;
      factory({ logger }).load(loadContext('ui', { ui: cookie }));
      expect(debug).toHaveBeenCalledTimes(1);
      expect(debug).toHaveBeenCalledWith(
        'Namespace "ui": the session cookie signature did not verify.',
      );
      expect(JSON.stringify(debug.mock.calls)).not.toContain(cookie.slice(0, 20));
    });

    it('should keep the decode error as the reason cause', () => {
      const onInvalidSession = hookSpy();
      const cookie = mintSignedCookie({ secret: SECRET_A, namespace: 'ui', rawPayload: '{nope' });
      factory({ onInvalidSession }).load(loadContext('ui', { ui: cookie }));
      expect(onInvalidSession.mock.calls[0]![1].cause).toBeInstanceOf(SyntaxError);
    });

    it('should survive a hook that throws, logging it', () => {
      const logger = recordingLogger();
      const error = logger.error;
      const f = factory({
        logger,
        onInvalidSession: () => {
          throw new Error('hook failed');
        },
      });
      expect(f.load(loadContext('ui', { ui: 'garbage' })).isNew).toBe(true);
      expect(error).toHaveBeenCalledWith(
        'Namespace "ui": onInvalidSession threw; ignored.',
        expect.stringContaining('hook failed'),
      );
    });
  });

  describe('when the idle timeout is enforced from the signed time', () => {
    it('should accept a cookie renewed exactly timeout seconds ago', () => {
      const cookie = mintSignedCookie({
        secret: SECRET_A,
        namespace: 'ui',
        renewed: T0 - 60,
        data: { a: 1 },
      });
      expect(
        factory({ timeout: 60 })
          .load(loadContext('ui', { ui: cookie }))
          .get('a'),
      ).toBe(1);
    });

    it('should refuse it one second later', () => {
      const cookie = mintSignedCookie({
        secret: SECRET_A,
        namespace: 'ui',
        renewed: T0 - 61,
        data: { a: 1 },
      });
      const onInvalidSession = hookSpy();
      factory({ timeout: 60, onInvalidSession }).load(loadContext('ui', { ui: cookie }));
      expect(onInvalidSession.mock.calls[0]![1]).toBeInstanceOf(InvalidSessionTimeout);
      expect(onInvalidSession.mock.calls[0]![1].message).toBe(
        'Namespace "ui": the session was idle for more than 60 s.',
      );
    });

    it('should never expire with timeout: null', () => {
      const cookie = mintSignedCookie({
        secret: SECRET_A,
        namespace: 'ui',
        renewed: T0 - 10 ** 8,
        data: { a: 1 },
      });
      expect(
        factory({ timeout: null })
          .load(loadContext('ui', { ui: cookie }))
          .get('a'),
      ).toBe(1);
    });
  });

  describe('when maxLifetime is set', () => {
    it('should refuse a session older than maxLifetime even if recently renewed', () => {
      const cookie = mintSignedCookie({
        secret: SECRET_A,
        namespace: 'ui',
        renewed: T0 - 1,
        created: T0 - 3601,
        data: { a: 1 },
      });
      const onInvalidSession = hookSpy();
      const session = factory({ maxLifetime: 3600, onInvalidSession }).load(
        loadContext('ui', { ui: cookie }),
      );
      expect(session.isNew).toBe(true);
      expect(onInvalidSession.mock.calls[0]![1]).toBeInstanceOf(InvalidSessionLifetime);
    });

    it('should accept a session younger than maxLifetime', () => {
      const cookie = mintSignedCookie({
        secret: SECRET_A,
        namespace: 'ui',
        created: T0 - 3600,
        data: { a: 1 },
      });
      expect(
        factory({ maxLifetime: 3600 })
          .load(loadContext('ui', { ui: cookie }))
          .get('a'),
      ).toBe(1);
    });
  });
});
