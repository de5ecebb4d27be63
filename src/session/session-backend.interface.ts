import type { NamespacedSession } from './session';

/**
 * What a factory plugs into a session for the operations that depend on where the data lives.
 * Cookie factories have no server record; server-side factories create, delete and rotate ids.
 *
 * @publicApi
 */
export interface SessionBackend {
  /** The session id, or undefined while none exists (cookie sessions never have one). */
  idOf(session: NamespacedSession): string | undefined;
  /** Makes sure the session has an id (writing it to the store now) and returns it. */
  ensureId(session: NamespacedSession): Promise<string>;
  /** Called by `session.invalidate()` after the data is dropped: delete the server record now. */
  invalidate(session: NamespacedSession): Promise<void>;
  /** Called by `session.regenerate()`: new id, same data, old record deleted. */
  regenerate(session: NamespacedSession): Promise<void>;
}
