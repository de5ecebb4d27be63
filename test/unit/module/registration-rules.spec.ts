import { jest } from '@jest/globals';
import {
  resolveCookieOptions,
  type SessionCookieOptions,
} from '../../../src/factories/cookie-options';
import type { SessionFactory } from '../../../src/factories/session-factory.interface';
import { assertRegistrable } from '../../../src/module/registration-rules';
import { SessionConfigurationError } from '../../../src/session/session-configuration.error';
import type { NamespaceRegistration } from '../../../src/module/session-multi-options.interface';

function stubFactory(
  cookie: Partial<SessionCookieOptions> & { cookieName: string },
): SessionFactory {
  return {
    cookieName: cookie.cookieName,
    cookieOptions: resolveCookieOptions(cookie),
    load: () => {
      throw new Error('not used');
    },
    commit: () => undefined,
    describe: () => ({}),
  };
}

function accepted(...regs: NamespaceRegistration[]): Map<string, NamespaceRegistration> {
  return new Map(regs.map((r) => [r.namespace, r]));
}

function check(reg: unknown, already = accepted()): () => void {
  return () => assertRegistrable(reg as NamespaceRegistration, already);
}

describe('assertRegistrable', () => {
  describe('when the registration is valid', () => {
    it('should pass and run the factory own validate(namespace)', () => {
      const factory = stubFactory({ cookieName: 'ui' });
      const validate = jest.fn();
      factory.validate = validate;
      expect(check({ namespace: 'ui', factory })).not.toThrow();
      expect(validate).toHaveBeenCalledWith('ui');
    });
  });

  describe('when the namespace is empty', () => {
    it.each([
      ['an empty string', '', '""'],
      ['blanks', '  ', '"  "'],
      ['missing', undefined, '""'],
      ['not a string', 42, '""'],
    ])('should reject %s with the rule and the fix', (_case, namespace, shown) => {
      expect(check({ namespace, factory: stubFactory({ cookieName: 'a' }) })).toThrow(
        new SessionConfigurationError(
          `Namespace ${shown}: a namespace must be a non-empty string. Give the registration a namespace such as 'cart'.`,
        ),
      );
    });

    it('should reject a missing registration', () => {
      expect(check(undefined)).toThrow('a namespace must be a non-empty string');
    });
  });

  describe('when the factory is missing', () => {
    it.each([[undefined], [null]])('should reject factory %p', (factory) => {
      expect(check({ namespace: 'ui', factory })).toThrow(
        new SessionConfigurationError(
          'Namespace "ui": no session factory was given. Pass a factory, e.g. factory: new SignedCookieSessionFactory({ ... }).',
        ),
      );
    });
  });

  describe('when the namespace is already registered', () => {
    it('should reject the second registration', () => {
      const first = { namespace: 'ui', factory: stubFactory({ cookieName: 'ui' }) };
      expect(
        check({ namespace: 'ui', factory: stubFactory({ cookieName: 'other' }) }, accepted(first)),
      ).toThrow(
        new SessionConfigurationError(
          'Namespace "ui" is registered twice. Give each registration its own namespace.',
        ),
      );
    });
  });

  describe('when one factory instance is registered twice', () => {
    it('should name both namespaces', () => {
      const factory = stubFactory({ cookieName: 'ui' });
      expect(check({ namespace: 'cart', factory }, accepted({ namespace: 'ui', factory }))).toThrow(
        new SessionConfigurationError(
          'Namespace "cart": its factory instance is already registered for namespace "ui". Create one factory instance per namespace.',
        ),
      );
    });
  });

  describe('when the factory has no cookie name', () => {
    it.each([[''], [undefined]])('should reject cookieName %p', (cookieName) => {
      const factory = { ...stubFactory({ cookieName: 'x' }), cookieName };
      expect(check({ namespace: 'ui', factory })).toThrow(
        new SessionConfigurationError(
          'Namespace "ui": the factory has no cookie name. Set cookieName in the factory options.',
        ),
      );
    });
  });

  describe('when a custom factory exposes no cookieOptions', () => {
    it('should ask for cookieOptions instead of failing with a TypeError', () => {
      const factory = { ...stubFactory({ cookieName: 'ui' }), cookieOptions: undefined };
      expect(check({ namespace: 'ui', factory })).toThrow(
        new SessionConfigurationError(
          'Namespace "ui": the factory has no cookieOptions, so its cookie attributes cannot be checked. Expose cookieOptions (see resolveCookieOptions) in your SessionFactory.',
        ),
      );
    });
  });

  describe('when the cookie name is used by another namespace', () => {
    it('should name the cookie and the other namespace', () => {
      const first = { namespace: 'auth', factory: stubFactory({ cookieName: 'sid' }) };
      expect(
        check({ namespace: 'cart', factory: stubFactory({ cookieName: 'sid' }) }, accepted(first)),
      ).toThrow(
        new SessionConfigurationError(
          'Namespace "cart": cookie name "sid" is already used by namespace "auth". Give each namespace its own cookieName.',
        ),
      );
    });

    it('should compare names only, not paths', () => {
      const first = { namespace: 'auth', factory: stubFactory({ cookieName: 'sid', path: '/a' }) };
      expect(
        check(
          { namespace: 'cart', factory: stubFactory({ cookieName: 'sid', path: '/b' }) },
          accepted(first),
        ),
      ).toThrow('cookie name "sid" is already used by namespace "auth"');
    });
  });

  describe('when a cookie attribute would make browsers drop the cookie', () => {
    it('should raise the attribute rule message', () => {
      expect(
        check({ namespace: 'ui', factory: stubFactory({ cookieName: 'ui', sameSite: 'none' }) }),
      ).toThrow(
        new SessionConfigurationError(
          "Namespace \"ui\": sameSite 'none' without secure: true is dropped by browsers. Set secure: true, or use sameSite 'lax'.",
        ),
      );
    });

    it('should run the factory validate() first, so a wrong option type is named as such', () => {
      const factory = stubFactory({ cookieName: 'a b' });
      const validate = jest.fn(() => {
        throw new SessionConfigurationError('Namespace "ui": secure is the string "false".');
      });
      factory.validate = validate;
      expect(check({ namespace: 'ui', factory })).toThrow(
        'Namespace "ui": secure is the string "false".',
      );
      expect(validate).toHaveBeenCalledWith('ui');
    });
  });

  describe('when the factory own rules fail', () => {
    it('should let its SessionConfigurationError through', () => {
      const factory = stubFactory({ cookieName: 'ui' });
      factory.validate = (ns) => {
        throw new SessionConfigurationError(`Namespace "${ns}": custom rule.`);
      };
      expect(check({ namespace: 'ui', factory })).toThrow('Namespace "ui": custom rule.');
    });
  });

  describe('when several rules are broken', () => {
    it('should report the first in pyramid_session_multi order (namespace before cookie)', () => {
      const factory = stubFactory({ cookieName: 'ui' });
      const first = { namespace: 'ui', factory };
      expect(check({ namespace: 'ui', factory }, accepted(first))).toThrow(
        'Namespace "ui" is registered twice.',
      );
    });
  });
});
