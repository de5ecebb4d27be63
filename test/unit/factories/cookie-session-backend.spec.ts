import { COOKIE_SESSION_BACKEND } from '../../../src/factories/cookie-session-backend';
import { NamespacedSession } from '../../../src/session/session';
import { SessionUnsupportedError } from '../../../src/session/session-multi.error';

function cookieSession(): NamespacedSession {
  return new NamespacedSession({
    namespace: 'ui',
    data: { a: 1 },
    created: 1,
    isNew: false,
    backend: COOKIE_SESSION_BACKEND,
    baseline: '{"a":1}',
  });
}

describe('COOKIE_SESSION_BACKEND', () => {
  describe('when asked for an id', () => {
    it('should have none', () => {
      expect(cookieSession().id).toBeUndefined();
    });

    it('should refuse ensureId() with SessionUnsupportedError naming the namespace and the fix', async () => {
      await expect(cookieSession().ensureId()).rejects.toThrow(
        new SessionUnsupportedError(
          'Namespace "ui": cookie sessions have no server-side id. Use a server-side factory (RedisSessionFactory, ServerSessionFactory) when you need session.ensureId().',
        ),
      );
    });
  });

  describe('when invalidating or regenerating', () => {
    it('should resolve without any server work (the commit handles the cookie)', async () => {
      const session = cookieSession();
      await expect(session.invalidate()).resolves.toBeUndefined();
      await expect(session.regenerate()).resolves.toBeUndefined();
    });
  });
});
