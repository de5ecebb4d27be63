import { SessionConfigurationError } from '../session/session-configuration.error';
import type { NamespacedSession } from '../session/session';
import type { SessionSerializer } from '../session/serializer';
import { decodePayload } from '../stores/payload-serializer';
import { payloadFingerprint } from '../stores/payload-fingerprint';
import { SessionConflictError } from './session-conflict.error';
import { mergeSessionData } from './three-way-merge';
import type { OutageLog } from './outage-log';
import type { SessionStore } from '../stores/session-store.interface';
import { storeKey } from '../stores/store-key';
import { serverState, type ServerSessionState } from './server-session-backend';
import { encodeSession, markSessionWritten, storeCall } from './server-session-payload';
import { nowSeconds } from './server-session-time';
import { defaultTrigger, refreshMode, type ServerSessionSettings } from './server-session.options';

/** Write attempts when other requests keep changing the session under a merge. */
const MERGE_ATTEMPTS = 10;

/** Attempts at a fresh id before concluding that `idGenerator` is broken. */
const CREATE_ATTEMPTS = 5;

export { nowSeconds };

/** The store key of `id`: the one the load computed when it is still the session's id. */
function keyOf(state: ServerSessionState, id: string): string {
  return state.keyId === id && state.key !== undefined ? state.key : storeKey(id);
}

/**
 * The store side of {@link ServerSessionFactory}: payload, TTL and expiry maths, and the store
 * calls, each wrapped so a failure becomes a `SessionStoreError` naming namespace, store and
 * operation. Keys are always `storeKey(id)`, never the id.
 *
 * @internal
 */
export class ServerSessionWriter {
  constructor(
    private readonly store: SessionStore,
    private readonly settings: ServerSessionSettings,
    private readonly serializer: SessionSerializer,
    private readonly newId: (namespace: string) => string,
    private readonly outage: OutageLog,
  ) {}

  /** Runs one store call; a failure (thrown or rejected) becomes a `SessionStoreError`. */
  private call<T>(namespace: string, operation: string, run: () => Promise<T>): Promise<T> {
    return storeCall(this.store, this.outage, namespace, operation, run);
  }

  /** Idle timeout of a session: adjusted on this request, stored in its payload, or the namespace's. */
  timeoutOf(session: NamespacedSession): number | null {
    return session.state.timeout ?? serverState(session).timeout ?? this.settings.timeout;
  }

  /** The store TTL a refresh would set now (undefined: none, LRU mode or no timeout). */
  ttlFor(session: NamespacedSession, now: number): number | undefined {
    return this.ttl(session, now, serverState(session).expires);
  }

  /** The session's expiry (payload or `maxLifetime`) has passed: deleting beats writing. */
  isExpired(session: NamespacedSession, now: number): boolean {
    const x = this.expiryFor(session, now);
    const max = this.settings.maxLifetime;
    return (x !== undefined && x <= now) || (max !== undefined && session.created + max <= now);
  }

  /** With the expiry in the payload: a read-only request this close to it rewrites the payload. */
  inTriggerWindow(session: NamespacedSession, now: number): boolean {
    const t = this.timeoutOf(session);
    if (t === null || refreshMode(this.settings, t) !== 'rewrite') {
      return false;
    }
    const x = serverState(session).expires;
    return x === undefined || now >= x - this.triggerFor(t);
  }

  /** Touch mode: a read-only request resets the TTL with one `EXPIRE`, unless already done. */
  needsTouch(session: NamespacedSession): boolean {
    const mode = refreshMode(this.settings, this.timeoutOf(session));
    return (mode === 'touch' || mode === 'get-and-touch') && !serverState(session).ttlFresh;
  }

  /** Writes the session as a new record (`SET … NX`), under a new id on a clash; returns the id. */
  async create(session: NamespacedSession, state: ServerSessionState): Promise<string> {
    const now = nowSeconds();
    const x = this.expiryFor(session, now);
    const text = encodeSession(session, x, this.serializer);
    const ttl = this.ttl(session, now, x);
    const options = { ttl: ttl === undefined ? undefined : Math.max(1, ttl), onlyIfAbsent: true };
    markSessionWritten(session, state, x, this.settings.detectChanges);
    for (let attempt = 0; attempt < CREATE_ATTEMPTS; attempt++) {
      const id = this.newId(session.namespace);
      const created = await this.call(session.namespace, 'set', () =>
        this.store.set(storeKey(id), text, options),
      );
      if (created) {
        state.loaded = text;
        return id;
      }
    }
    throw new SessionConfigurationError(
      `Namespace "${session.namespace}": idGenerator returned ${CREATE_ATTEMPTS} ids in a row that already exist in the store. Make idGenerator return at least 128 random bits (the default draws 256).`,
    );
  }

  /**
   * Writes the session back over the record this request loaded, never over a record that was
   * deleted meanwhile (the session stays ended) and, unless `onConflict` is 'overwrite', never
   * over another request's changes: they are merged key by key ('merge') or refused ('reject').
   * One store call without a conflict; a store without `replace()` gets a plain `set`.
   */
  rewrite(session: NamespacedSession, state: ServerSessionState, id: string): Promise<void> {
    const now = nowSeconds();
    const x = this.expiryFor(session, now);
    const ttl = this.ttl(session, now, x);
    const options = { ttl: ttl === undefined ? undefined : Math.max(1, ttl) };
    const key = keyOf(state, id);
    const loaded = state.loaded;
    if (this.settings.onConflict === 'overwrite') {
      // Last writer wins, but a deleted record stays deleted: `SET … XX`, one command.
      const text = encodeSession(session, x, this.serializer);
      markSessionWritten(session, state, x, this.settings.detectChanges);
      return this.call(session.namespace, 'set', () =>
        this.store.set(key, text, { ...options, onlyIfPresent: true }),
      ).then((written) => {
        if (!written) {
          throw new SessionConflictError(session.namespace, 'ended');
        }
        state.loaded = text;
      });
    }
    if (this.store.replace === undefined || loaded === undefined) {
      const text = encodeSession(session, x, this.serializer);
      markSessionWritten(session, state, x, this.settings.detectChanges);
      return this.call(session.namespace, 'set', () => this.store.set(key, text, options)).then(
        () => {
          state.loaded = text;
        },
      );
    }
    const text = encodeSession(session, x, this.serializer);
    markSessionWritten(session, state, x, this.settings.detectChanges);
    return this.replace(session, state, key, text, x, options.ttl, loaded, undefined, 0);
  }

  private replace(
    session: NamespacedSession,
    state: ServerSessionState,
    key: string,
    text: string,
    x: number | undefined,
    ttl: number | undefined,
    expected: string,
    /** The data `expected` holds; decoded from it only when a conflict needs a merge. */
    base: Record<string, unknown> | undefined,
    attempt: number,
  ): Promise<void> {
    const ns = session.namespace;
    return this.call(ns, 'replace', () =>
      this.store.replace!(key, text, { ttl, expected: payloadFingerprint(expected) }),
    ).then((result) => {
      if (result.status === 'written') {
        state.loaded = text;
        return;
      }
      if (result.status === 'missing') {
        throw new SessionConflictError(ns, 'ended');
      }
      const theirs = this.mergeInto(session, expected, base, result.current, attempt);
      const next = encodeSession(session, x, this.serializer);
      return this.replace(session, state, key, next, x, ttl, result.current, theirs, attempt + 1);
    });
  }

  /**
   * Deletes the record a regeneration leaves (`oldId`), atomically, only while it still holds
   * `loaded`: a session ended meanwhile is never carried over into the new record (conflict
   * 'ended'), and another request's change to it is merged into the new record (`newId`) or
   * refused, as `onConflict` says ('overwrite' deletes it whatever it holds). A store without
   * `replace()` deletes it as is.
   */
  retire(
    session: NamespacedSession,
    state: ServerSessionState,
    oldId: string,
    loaded: string | undefined,
    newId: string,
  ): Promise<void> {
    if (this.store.replace === undefined || loaded === undefined) {
      return this.remove(session.namespace, oldId);
    }
    return this.retireIf(session, state, storeKey(oldId), storeKey(newId), loaded, undefined, 0);
  }

  private retireIf(
    session: NamespacedSession,
    state: ServerSessionState,
    oldKey: string,
    newKey: string,
    expected: string,
    /** The data `expected` holds; decoded from it only when a conflict needs a merge. */
    base: Record<string, unknown> | undefined,
    attempt: number,
  ): Promise<void> {
    const ns = session.namespace;
    return this.call(ns, 'delete', () =>
      this.store.replace!(oldKey, '', { ttl: 0, expected: payloadFingerprint(expected) }),
    ).then((result) => {
      if (result.status === 'written') {
        return undefined;
      }
      if (result.status === 'missing') {
        throw new SessionConflictError(ns, 'ended');
      }
      if (this.settings.onConflict === 'overwrite') {
        return this.call(ns, 'delete', () => this.store.delete(oldKey));
      }
      const theirs = this.mergeInto(session, expected, base, result.current, attempt);
      // Nobody knows the new id yet: the merged data replaces what the regeneration wrote.
      const now = nowSeconds();
      const x = this.expiryFor(session, now);
      const ttl = this.ttl(session, now, x);
      const text = encodeSession(session, x, this.serializer);
      markSessionWritten(session, state, x, this.settings.detectChanges);
      const options = {
        ttl: ttl === undefined ? undefined : Math.max(1, ttl),
        onlyIfPresent: true,
      };
      return this.call(ns, 'set', () => this.store.set(newKey, text, options)).then((written) => {
        if (!written) {
          throw new SessionConflictError(ns, 'ended');
        }
        state.loaded = text;
        return this.retireIf(session, state, oldKey, newKey, result.current, theirs, attempt + 1);
      });
    });
  }

  /**
   * After a conflict: under 'merge', this request's changes (against `expected`, whose data is
   * `base` when known) go on top of `current`, what another request wrote, and the session holds
   * the result; returns `current`'s data. Throws a `SessionConflictError` under 'reject', on a
   * key both changed, or after {@link MERGE_ATTEMPTS} attempts.
   */
  private mergeInto(
    session: NamespacedSession,
    expected: string,
    base: Record<string, unknown> | undefined,
    current: string,
    attempt: number,
  ): Record<string, unknown> {
    const ns = session.namespace;
    if (this.settings.onConflict === 'reject' || attempt >= MERGE_ATTEMPTS) {
      throw new SessionConflictError(ns, 'changed');
    }
    const theirs = this.dataOf(current);
    if (theirs === undefined) {
      throw new SessionConflictError(ns, 'changed');
    }
    const merged = mergeSessionData(
      base ?? this.dataOf(expected) ?? {},
      session.peekData(),
      theirs,
    );
    if (!merged.ok) {
      throw new SessionConflictError(ns, 'changed', merged.keys);
    }
    session.adoptData(merged.data);
    return theirs;
  }

  /** The data of a stored payload, or undefined when it cannot be read. */
  private dataOf(text: string): Record<string, unknown> | undefined {
    const decoded = decodePayload(text, this.serializer);
    return decoded.ok ? decoded.payload.m : undefined;
  }

  /** Resets the TTL without rewriting (`EXPIRE key t`). */
  touch(session: NamespacedSession, id: string, now: number): Promise<void> | undefined {
    const ttl = this.ttlFor(session, now);
    const fresh = (): void => {
      serverState(session).ttlFresh = true;
    };
    if (ttl === undefined || ttl <= 0) {
      fresh();
      return undefined;
    }
    return this.call(session.namespace, 'touch', () =>
      this.store.touch(keyOf(serverState(session), id), ttl),
    ).then(fresh);
  }

  /** Deletes a record now (`DEL key`). */
  remove(namespace: string, id: string): Promise<void> {
    return this.call(namespace, 'delete', () => this.store.delete(storeKey(id)));
  }

  /**
   * The expiry the next write stores: one set by `adjustExpires()` on this request; else now plus
   * the timeout when the expiry lives in the payload; else a fixed one kept from an earlier
   * `adjustExpires()`.
   */
  private expiryFor(session: NamespacedSession, now: number): number | undefined {
    if (session.state.expires !== undefined) {
      return session.state.expires;
    }
    const t = this.timeoutOf(session);
    if (this.settings.expiryInPayload && t !== null) {
      return now + t;
    }
    return serverState(session).expires;
  }

  /** TTL in seconds for expiry `x`: never past the expiry or `maxLifetime`. */
  private ttl(session: NamespacedSession, now: number, x: number | undefined): number | undefined {
    if (!this.settings.storeTtl) {
      return undefined;
    }
    let ttl = x !== undefined ? x - now : (this.timeoutOf(session) ?? undefined);
    const max = this.settings.maxLifetime;
    if (max !== undefined) {
      const left = session.created + max - now;
      ttl = ttl === undefined ? left : Math.min(ttl, left);
    }
    return ttl;
  }

  /** The trigger of the namespace, scaled down for a session whose own timeout is shorter. */
  private triggerFor(t: number): number {
    const trigger = this.settings.trigger;
    if (t === this.settings.timeout && trigger !== null) {
      return trigger;
    }
    return Math.min(trigger ?? Infinity, defaultTrigger(t));
  }
}
