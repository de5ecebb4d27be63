import { SessionStoreError } from '../stores/session-store.error';
import { SessionConflictError } from './session-conflict.error';
import type { NamespacedSession } from '../session/session';
import type { PreparedRegeneration, SessionBackend } from '../session/session-backend.interface';
import { SessionSlot } from '../session/session-slot';

/**
 * Book-keeping of one server-side session for one request.
 *
 * @internal
 */
export interface ServerSessionState {
  /** The session id; defined only while a record exists in the store under it. */
  id: string | undefined;
  /** The browser holds a cookie naming `id` (false for an id created on this request). */
  browserHasId: boolean;
  /** The browser holds a cookie of this namespace, valid or not, that was not cleared yet. */
  browserHasCookie: boolean;
  /** The cookie verified under an older secret: re-issue it under the newest. */
  rotated: boolean;
  /** `t` of the stored payload (a per-session timeout). */
  timeout: number | undefined;
  /** `x` of the stored payload (expiry, epoch seconds). */
  expires: number | undefined;
  /** The store TTL is already right for this request (written, or reset while reading). */
  ttlFresh: boolean;
  /** The store failed at load under `onStoreError: 'fail-open'`: this session is never saved. */
  detached: boolean;
  /** A refresh of this request failed; the response goes out without it. */
  refreshFailed: boolean;
  /** A store call failed during the commit: a second attempt (the error response) does nothing. */
  failed: boolean;
  /** The user this session is bound to (`setOwner()`), kept in the payload. */
  owner: string | undefined;
  /** `setOwner()` ran on this request: the owner's index gains this session after its write. */
  ownerChanged: boolean;
  /** A `regenerate()` in flight (a second call shares it). */
  regenerating: Promise<void> | undefined;
  /** The stored payload this request last read or wrote: the version a write-back is conditional on. */
  loaded: string | undefined;
  /** `storeKey(keyId)`, kept from the load so the write-back does not hash the id again. */
  key: string | undefined;
  keyId: string | undefined;
}

/** @internal */
export function newServerState(init: Partial<ServerSessionState> = {}): ServerSessionState {
  return {
    id: undefined,
    browserHasId: false,
    browserHasCookie: false,
    rotated: false,
    timeout: undefined,
    expires: undefined,
    ttlFresh: false,
    detached: false,
    failed: false,
    refreshFailed: false,
    owner: undefined,
    ownerChanged: false,
    regenerating: undefined,
    loaded: undefined,
    key: undefined,
    keyId: undefined,
    ...init,
  };
}

const SERVER_STATE = new SessionSlot<ServerSessionState>('server-side session');

/** @internal */
export function serverState(session: NamespacedSession): ServerSessionState {
  return SERVER_STATE.get(session);
}

/** @internal */
export function attachServerState(session: NamespacedSession, state: ServerSessionState): void {
  SERVER_STATE.set(session, state);
}

/**
 * The state of a session about to be written: refused when the store failed at load under
 * `onStoreError: 'fail-open'` (such a session is never saved).
 *
 * @internal
 */
export function attachedState(session: NamespacedSession, storeName: string): ServerSessionState {
  const state = serverState(session);
  if (state.detached) {
    throw new SessionStoreError(
      session.namespace,
      storeName,
      'set',
      new Error('the store was unavailable when this session was loaded (fail-open)'),
    );
  }
  return state;
}

/** What the backend needs from its factory. @internal */
export interface ServerRecords {
  /** Writes the session now as a new record under a fresh id (a new id on a clash); returns the id. */
  create(session: NamespacedSession): Promise<string>;
  /** Deletes the record of `id` now. */
  remove(session: NamespacedSession, id: string): Promise<void>;
  /**
   * Deletes the record `oldId` that a regeneration leaves, only while it holds `loaded` (the
   * payload this request read); rejects with a `SessionConflictError` when the session ended
   * meanwhile, or changed in a way `onConflict` refuses. A change it can merge is written into
   * the record of `newId` first.
   */
  retire(
    session: NamespacedSession,
    oldId: string,
    loaded: string | undefined,
    newId: string,
  ): Promise<void>;
  /** The owned session moved from `oldId` to `newId`: its owner's index follows. */
  reindex(session: NamespacedSession, oldId: string, newId: string): Promise<void>;
}

/**
 * The server-side half of `NamespacedSession`: ids, and the store operations that cannot wait for
 * the end of the request (`ensureId()` writes now, `invalidate()` and `regenerate()` delete now).
 *
 * @internal
 */
export class ServerSessionBackend implements SessionBackend {
  constructor(private readonly records: ServerRecords) {}

  setOwner(session: NamespacedSession, userId: string): void {
    const state = serverState(session);
    state.owner = userId;
    state.ownerChanged = true;
  }

  idOf(session: NamespacedSession): string | undefined {
    return serverState(session).id;
  }

  async ensureId(session: NamespacedSession): Promise<string> {
    const state = serverState(session);
    if (state.id === undefined) {
      state.id = await this.failing(state, this.records.create(session));
      state.browserHasId = false;
    }
    return state.id;
  }

  /**
   * The data is already dropped; the record goes now, so a replayed cookie finds nothing. The
   * session has no id from this call on (an `ensureId()` that follows, awaited or not, creates a
   * new record); if the delete fails, the id is kept and the response answers 503.
   */
  async invalidate(session: NamespacedSession): Promise<void> {
    const state = serverState(session);
    const id = state.id;
    state.timeout = undefined;
    state.expires = undefined;
    if (id === undefined) {
      return;
    }
    state.id = undefined;
    state.browserHasId = false;
    state.ttlFresh = false;
    try {
      await this.records.remove(session, id);
    } catch (error) {
      state.failed = true;
      state.id ??= id;
      throw error;
    }
  }

  /**
   * The new record is written before the old one goes, so a failed write leaves the session as
   * it was (and the response answers 503). The commit then only re-issues the cookie. A second
   * call while one is in flight shares it: the session gets one new id, not two records.
   */
  regenerate(session: NamespacedSession): Promise<void> {
    const state = serverState(session);
    if (state.regenerating === undefined) {
      const run = this.prepareRegenerate(session).then((prepared) => prepared.finish());
      const done = (): void => {
        state.regenerating = undefined;
      };
      run.then(done, done);
      state.regenerating = run;
    }
    return state.regenerating;
  }

  async prepareRegenerate(session: NamespacedSession): Promise<PreparedRegeneration> {
    const state = serverState(session);
    const oldId = state.id;
    if (oldId === undefined) {
      // No record yet: the commit creates one under a fresh id.
      return { finish: () => Promise.resolve(), abort: () => Promise.resolve() };
    }
    const before = { id: oldId, loaded: state.loaded, key: state.key, keyId: state.keyId };
    const newId = await this.failing(state, this.records.create(session));
    return {
      finish: async () => {
        try {
          // Only if the old record still holds what this request loaded: a logout meanwhile
          // keeps the session ended, another request's changes are merged in or refused.
          await this.records.retire(session, oldId, before.loaded, newId);
        } catch (error) {
          // The old session stays as it is; the new record is dropped.
          await this.records.remove(session, newId).catch(() => undefined);
          if (state.id !== oldId && error instanceof SessionConflictError) {
            // This request's own invalidate() ended the session meanwhile: nothing to regenerate.
            return;
          }
          Object.assign(state, before, { failed: true });
          throw error;
        }
        if (state.id !== oldId) {
          // invalidate() ran on this request while the new record was written: the session is
          // over, and the new record goes too.
          await this.records.remove(session, newId);
          return;
        }
        state.id = newId;
        state.key = undefined;
        state.keyId = undefined;
        state.browserHasId = false;
        state.ttlFresh = true;
        await this.records.reindex(session, oldId, newId);
      },
      abort: async () => {
        Object.assign(state, before);
        await this.records.remove(session, newId).catch(() => undefined);
      },
    };
  }

  /** After a failed store call the commit does nothing more for this session (no second wait). */
  private async failing<T>(state: ServerSessionState, call: Promise<T>): Promise<T> {
    try {
      return await call;
    } catch (error) {
      state.failed = true;
      throw error;
    }
  }
}
