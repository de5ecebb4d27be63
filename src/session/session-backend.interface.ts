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
  /**
   * The first half of `regenerate()` for `regenerateAll()`: writes the new record and returns how
   * to finish (delete the old one) or abort (delete the new one), so that a failure in one
   * namespace leaves every namespace as it was. Without it, `regenerate()` runs at finish.
   */
  prepareRegenerate?(session: NamespacedSession): Promise<PreparedRegeneration>;
  /** Binds the session to a user for listing and revocation; absent where that cannot work. */
  setOwner?(session: NamespacedSession, userId: string): void;
}

/** A regeneration whose new record is written; see {@link SessionBackend.prepareRegenerate}. @publicApi */
export interface PreparedRegeneration {
  finish(): Promise<void>;
  abort(): Promise<void>;
}
