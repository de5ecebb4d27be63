import type { SessionBackend } from '../session/session-backend.interface';
import { toHttpError } from './session-store-unavailable.exception';

/**
 * Backends whose failures surface as HTTP errors: a store outage inside `invalidate()`,
 * `regenerate()` or `ensureId()` answers 503, like one during load or commit. One wrapper per
 * factory backend, shared by all its sessions.
 */
const httpBackends = new WeakMap<SessionBackend, SessionBackend>();

/** @internal */
export function httpBackend(inner: SessionBackend): SessionBackend {
  let wrapped = httpBackends.get(inner);
  if (wrapped === undefined) {
    const mapped = <T>(run: () => Promise<T>): Promise<T> =>
      run().catch((error: unknown) => {
        throw toHttpError(error);
      });
    wrapped = {
      idOf: (session) => inner.idOf(session),
      ensureId: (session) => mapped(() => inner.ensureId(session)),
      invalidate: (session) => mapped(() => inner.invalidate(session)),
      regenerate: (session) => mapped(() => inner.regenerate(session)),
      setOwner: inner.setOwner && ((session, userId) => inner.setOwner!(session, userId)),
      prepareRegenerate:
        inner.prepareRegenerate && ((session) => mapped(() => inner.prepareRegenerate!(session))),
    };
    httpBackends.set(inner, wrapped);
  }
  return wrapped;
}
