import { jest } from '@jest/globals';
import { resolveCookieOptions } from '../../../src/factories/cookie-options';
import type { SessionFactory } from '../../../src/factories/session-factory.interface';
import { SessionConfigurationError } from '../../../src/session/session-configuration.error';
import { SessionRegistry } from '../../../src/module/session-registry';

function stubFactory(cookieName: string, close?: () => Promise<void>): SessionFactory {
  return {
    cookieName,
    cookieOptions: resolveCookieOptions({ cookieName }),
    load: () => {
      throw new Error('not used');
    },
    commit: () => undefined,
    describe: () => ({}),
    ...(close ? { close } : {}),
  };
}

describe('SessionRegistry', () => {
  describe('when namespaces are registered', () => {
    it('should list them in order with their factories, discriminators and cookie names', () => {
      const registry = new SessionRegistry();
      const ui = stubFactory('ui');
      const cart = stubFactory('cart_sid');
      const onlyHttps = (): boolean => true;
      registry.register([
        { namespace: 'ui', factory: ui },
        { namespace: 'cart', factory: cart, discriminator: onlyHttps },
      ]);
      expect(registry.namespaces).toEqual(['ui', 'cart']);
      expect(registry.has('cart')).toBe(true);
      expect(registry.has('nope')).toBe(false);
      expect(registry.factory('cart')).toBe(cart);
      expect(registry.factory('nope')).toBeUndefined();
      expect(registry.discriminator('cart')).toBe(onlyHttps);
      expect(registry.discriminator('ui')).toBeUndefined();
      expect(registry.registration('ui')?.factory).toBe(ui);
      expect(registry.cookieNames()).toEqual({ ui: 'ui', cart: 'cart_sid' });
    });

    it('should validate later registrations against earlier ones', () => {
      const registry = new SessionRegistry();
      registry.register([{ namespace: 'ui', factory: stubFactory('sid') }]);
      expect(() =>
        registry.register([{ namespace: 'admin', factory: stubFactory('sid') }]),
      ).toThrow('Namespace "admin": cookie name "sid" is already used by namespace "ui".');
    });

    it('should validate registrations of one call against each other', () => {
      const registry = new SessionRegistry();
      expect(() =>
        registry.register([
          { namespace: 'a', factory: stubFactory('a') },
          { namespace: 'a', factory: stubFactory('b') },
        ]),
      ).toThrow('Namespace "a" is registered twice.');
    });
  });

  describe('when one registration of a batch is invalid', () => {
    it('should register none of the batch', () => {
      const registry = new SessionRegistry();
      expect(() =>
        registry.register([
          { namespace: 'ok', factory: stubFactory('ok') },
          { namespace: '', factory: stubFactory('bad') },
        ]),
      ).toThrow(SessionConfigurationError);
      expect(registry.namespaces).toEqual([]);
    });
  });

  describe('when sessions is not an array', () => {
    it.each([[undefined], [{}], ['ui']])('should reject %p with the fix', (sessions) => {
      expect(() => new SessionRegistry().register(sessions as never)).toThrow(
        new SessionConfigurationError(
          'SessionMultiModule options: "sessions" must be an array of { namespace, factory } registrations. Pass sessions: [...].',
        ),
      );
    });
  });

  describe('when frozen', () => {
    it('should refuse new namespaces and keep the old ones', () => {
      const registry = new SessionRegistry();
      registry.register([{ namespace: 'ui', factory: stubFactory('ui') }]);
      registry.freeze();
      expect(() =>
        registry.register([{ namespace: 'late', factory: stubFactory('late') }]),
      ).toThrow(
        new SessionConfigurationError(
          'Namespace "late": namespaces cannot be registered after the application has started. Register it in SessionMultiModule.forRoot() or forFeature().',
        ),
      );
      expect(registry.namespaces).toEqual(['ui']);
    });
  });

  describe('when closed', () => {
    it('should close every factory that can be closed, even if one fails', async () => {
      const closeA = jest.fn(() => Promise.reject(new Error('boom')));
      const closeB = jest.fn(() => Promise.resolve());
      const registry = new SessionRegistry();
      registry.register([
        { namespace: 'a', factory: stubFactory('a', closeA) },
        { namespace: 'b', factory: stubFactory('b', closeB) },
        { namespace: 'c', factory: stubFactory('c') },
      ]);
      await expect(registry.close()).resolves.toBeUndefined();
      expect(closeA).toHaveBeenCalledTimes(1);
      expect(closeB).toHaveBeenCalledTimes(1);
    });
  });
});
