import { createHash } from 'node:crypto';
import { decodePayload } from '../stores/payload-serializer';
import type { SessionStore } from '../stores/session-store.interface';
import { storeKey } from '../stores/store-key';
import type { SessionSerializer } from '../session/serializer';

/** One of a user's sessions, as `listSessions()` shows it: never its id. @publicApi */
export interface OwnedSession {
  /** Opaque handle for `revokeSession()`: a hash of the store key, never the session id. */
  handle: string;
  /** Creation time, epoch seconds. */
  created: number;
  /** Last write of the session, epoch seconds. */
  lastSeen: number;
}

/** The handle of a store key: cannot be turned back into the key, let alone the id. @internal */
export function handleOf(key: string): string {
  return createHash('sha256').update(`handle\n${key}`).digest('base64url').slice(0, 22);
}

/**
 * The per-user index of a server-side namespace: under a key hashed from the user id, the store
 * keys (hashed ids) of the user's sessions. Every operation is on one key, so it is Cluster-safe.
 * Stores with `indexAdd`/`indexMembers`/`indexRemove` (RedisStore: a set whose TTL never shrinks
 * below the newest session's) keep it atomically; other stores keep it as a JSON list under the
 * same key, which is not atomic between processes. Entries of sessions that ended are dropped
 * when the index is read.
 *
 * @internal
 */
export class OwnerIndex {
  constructor(
    private readonly store: SessionStore,
    private readonly serializer: SessionSerializer,
  ) {}

  keyFor(userId: string): string {
    return storeKey(`owner\n${userId}`);
  }

  async add(userId: string, sessionKey: string, ttl: number | undefined): Promise<void> {
    const key = this.keyFor(userId);
    if (this.store.indexAdd !== undefined) {
      await this.store.indexAdd(key, sessionKey, ttl);
      return;
    }
    const members = new Set(await this.listed(key));
    members.add(sessionKey);
    await this.store.set(key, JSON.stringify([...members]), { ttl });
  }

  async remove(userId: string, sessionKeys: string[]): Promise<void> {
    if (sessionKeys.length === 0) {
      return;
    }
    const key = this.keyFor(userId);
    if (this.store.indexRemove !== undefined) {
      await this.store.indexRemove(key, sessionKeys);
      return;
    }
    const gone = new Set(sessionKeys);
    const left = (await this.listed(key)).filter((k) => !gone.has(k));
    if (left.length === 0) {
      await this.store.delete(key);
    } else {
      await this.store.set(key, JSON.stringify(left), {});
    }
  }

  /** The user's live sessions, dropping index entries whose session ended. */
  async sessions(userId: string): Promise<(OwnedSession & { key: string })[]> {
    const key = this.keyFor(userId);
    const members =
      this.store.indexMembers !== undefined
        ? await this.store.indexMembers(key)
        : await this.listed(key);
    const found: (OwnedSession & { key: string })[] = [];
    const ended: string[] = [];
    for (const member of members) {
      const text = await this.store.get(member);
      const decoded = text === undefined ? undefined : decodePayload(text, this.serializer);
      if (decoded === undefined || !decoded.ok || decoded.payload.o !== userId) {
        ended.push(member);
        continue;
      }
      const { c, w } = decoded.payload;
      found.push({ key: member, handle: handleOf(member), created: c, lastSeen: w ?? c });
    }
    await this.remove(userId, ended);
    return found.sort((a, b) => b.lastSeen - a.lastSeen);
  }

  private async listed(key: string): Promise<string[]> {
    const text = await this.store.get(key);
    if (text === undefined) {
      return [];
    }
    try {
      const value: unknown = JSON.parse(text);
      return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
    } catch {
      return [];
    }
  }
}
