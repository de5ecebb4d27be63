import type { SessionBackend } from '../session/session-backend.interface';
import { SessionUnsupportedError } from '../session/session-multi.error';
import type { NamespacedSession } from '../session/session';

/**
 * The backend of sessions whose data travels in the cookie: there is no server record, so
 * invalidation is a cleared cookie and regeneration a re-issued one (decided at commit).
 *
 * @internal
 */
export const COOKIE_SESSION_BACKEND: SessionBackend = {
  idOf: () => undefined,
  ensureId: (session: NamespacedSession) =>
    Promise.reject(
      new SessionUnsupportedError(
        `Namespace "${session.namespace}": cookie sessions have no server-side id. Use a server-side factory (RedisSessionFactory, ServerSessionFactory) when you need session.ensureId().`,
      ),
    ),
  invalidate: () => Promise.resolve(),
  regenerate: () => Promise.resolve(),
};
