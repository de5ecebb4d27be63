import type { NamespacedSession } from '../session/session';
import { SessionStoreError } from '../stores/session-store.error';
import type { SessionStore } from '../stores/session-store.interface';
import { storeKey } from '../stores/store-key';
import { handleOf, type OwnerIndex, type OwnedSession } from './owner-index';
import { serverState, type ServerSessionState } from './server-session-backend';
import { nowSeconds, type ServerSessionWriter } from './server-session-writer';

/**
 * Sessions bound to a user (`session.setOwner()`): keeping the owner's index in step with writes
 * and regenerations, listing and revoking. Handles stand for ids; an id never leaves.
 *
 * @internal
 */
export class ServerSessionOwners {
  constructor(
    private readonly store: SessionStore,
    private readonly index: OwnerIndex,
    private readonly writer: ServerSessionWriter,
  ) {}

  /** `setOwner()` ran on this request: the owner's index gains the session once it is written. */
  indexOwner(session: NamespacedSession, state: ServerSessionState): Promise<void> | void {
    if (!state.ownerChanged || state.owner === undefined || state.id === undefined) {
      return;
    }
    state.ownerChanged = false;
    const ttl = this.writer.ttlFor(session, nowSeconds());
    return this.call(session.namespace, () =>
      this.index.add(state.owner!, storeKey(state.id!), ttl),
    );
  }

  /** The owned session moved from `oldId` to `newId` (regenerate): its owner's index follows. */
  async reindex(session: NamespacedSession, oldId: string, newId: string): Promise<void> {
    const owner = serverState(session).owner;
    if (owner === undefined) {
      return;
    }
    const ttl = this.writer.ttlFor(session, nowSeconds());
    await this.call(session.namespace, async () => {
      await this.index.add(owner, storeKey(newId), ttl);
      await this.index.remove(owner, [storeKey(oldId)]);
    });
  }

  list(userId: string): Promise<OwnedSession[]> {
    return this.index
      .sessions(userId)
      .then((found) =>
        found.map(({ handle, created, lastSeen }) => ({ handle, created, lastSeen })),
      );
  }

  async revoke(userId: string, handle: string): Promise<boolean> {
    const match = (await this.index.sessions(userId)).find((s) => s.handle === handle);
    if (match === undefined) {
      return false;
    }
    await this.store.delete(match.key);
    await this.index.remove(userId, [match.key]);
    return true;
  }

  async revokeAll(userId: string, except: string | undefined): Promise<number> {
    const ended = (await this.index.sessions(userId)).filter((s) => s.handle !== except);
    for (const session of ended) {
      await this.store.delete(session.key);
    }
    await this.index.remove(
      userId,
      ended.map((s) => s.key),
    );
    return ended.length;
  }

  /** The handle of a loaded session (undefined while it has no id). */
  handleOf(session: object | undefined): string | undefined {
    const id = session === undefined ? undefined : serverState(session as NamespacedSession).id;
    return id === undefined ? undefined : handleOf(storeKey(id));
  }

  private async call<T>(namespace: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (cause) {
      throw new SessionStoreError(namespace, this.store.name, 'index', cause);
    }
  }
}
