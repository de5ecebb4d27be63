import type { RedisWrite, SetCondition } from './redis-commands';
import { isUnknownCommand, nothing, replaceResult, wholeSeconds } from './redis-replies';
import { INDEX_ADD_SCRIPT, REPLACE_SCRIPT } from './redis-scripts';
import { RedisStoreCalls, type RedisStoreSettings } from './redis-store-calls';
import type {
  ReplaceResult,
  SessionStore,
  StoreReplaceOptions,
  StoreSetOptions,
} from './session-store.interface';
import { assertTtl } from './store-ttl';

export type { RedisStoreSettings } from './redis-store-calls';

/**
 * The session-store operations of {@link RedisStore}: keys, TTL rules, conditional writes and
 * the replica wait after them, over {@link RedisStoreCalls}. RedisStore adds the connection
 * (building, owning and closing it).
 *
 * @publicApi
 */
export abstract class RedisStoreOperations extends RedisStoreCalls implements SessionStore {
  /** Set once the server answered `GETEX` with "unknown command" (Redis < 6.2). */
  private getexUnsupported = false;

  protected constructor(settings: RedisStoreSettings) {
    super(settings);
  }

  get(key: string): Promise<string | undefined> {
    return this.call('get', () => this.commands.get(this.keyOf(key)));
  }

  async getAndTouch(key: string, ttl: number): Promise<string | undefined> {
    assertTtl(ttl);
    const redisKey = this.keyOf(key);
    if (ttl <= 0) {
      await this.call('getAndTouch', () => this.commands.del(redisKey));
      return undefined;
    }
    const seconds = wholeSeconds(ttl);
    if (!this.getexUnsupported) {
      try {
        return await this.call('getAndTouch', () => this.commands.getex(redisKey, seconds));
      } catch (error) {
        if (!isUnknownCommand(error, 'getex')) {
          throw error;
        }
        this.getexUnsupported = true;
      }
    }
    // Redis < 6.2: the same effect in one round trip; both commands name one key (Cluster-safe).
    const read = await this.call('getAndTouch', () =>
      this.commands.getThenExpire(redisKey, seconds),
    );
    return read;
  }

  set(key: string, value: string, options: StoreSetOptions = {}): Promise<boolean> {
    const { ttl, onlyIfAbsent = false, onlyIfPresent = false } = options;
    const condition: SetCondition = onlyIfAbsent ? 'NX' : onlyIfPresent ? 'XX' : undefined;
    const redisKey = this.keyOf(key);
    if (ttl !== undefined) {
      try {
        assertTtl(ttl);
      } catch (error) {
        return Promise.reject(error);
      }
      if (ttl <= 0) {
        return this.setExpired(redisKey, condition);
      }
    }
    const seconds = ttl === undefined ? undefined : wholeSeconds(ttl);
    if (this.replicaWait === undefined) {
      // Every session write passes here: the command's own promise, with no async frame around it.
      return this.call('set', () => this.commands.set(redisKey, value, seconds, condition));
    }
    const write: RedisWrite = { kind: 'set', key: redisKey, value, seconds, condition };
    // A write whose condition failed writes nothing, so there is nothing for replicas to confirm.
    return this.replicated('set', write, (reply) => reply === 'OK').then((reply) => reply === 'OK');
  }

  /** A write whose TTL already ran out: never a zero or negative EX (connect-redis #321). */
  private async setExpired(redisKey: string, condition: SetCondition): Promise<boolean> {
    if (condition === 'XX') {
      // Writing an expired record over an existing one removes it; "written" if it existed.
      const existed = (await this.call('set', () => this.commands.exists(redisKey))) === 1;
      await this.deleteKey('set', redisKey);
      return existed;
    }
    if (condition === 'NX') {
      // Nothing is written; "created" only if no record holds the key.
      return (await this.call('set', () => this.commands.exists(redisKey))) === 0;
    }
    await this.deleteKey('set', redisKey);
    return true;
  }

  /**
   * Writes `value` only if the key still holds the payload whose {@link payloadFingerprint} is
   * `expected`: one `EVALSHA` (GET, compare `redis.sha1hex`, SET) that runs as one step on the
   * server and names one key, so it is Cluster-safe. Without `ttl` the key is written with no
   * expiry; a `ttl` of zero or less deletes it (on a match). Resolves `missing` when the key is
   * gone and `conflict` (with the payload found) when another write came first.
   */
  async replace(key: string, value: string, options: StoreReplaceOptions): Promise<ReplaceResult> {
    const { ttl, expected } = options;
    if (ttl !== undefined) {
      assertTtl(ttl);
    }
    const expiry = ttl === undefined ? '' : ttl <= 0 ? '0' : String(wholeSeconds(ttl));
    const args = [value, expected, expiry];
    const redisKey = this.keyOf(key);
    const reply =
      this.replicaWait === undefined
        ? await this.call('replace', () => this.commands.runScript(redisKey, REPLACE_SCRIPT, args))
        : await this.replicated(
            'replace',
            { kind: 'script', key: redisKey, script: REPLACE_SCRIPT, args },
            (r) => replaceResult(r).status === 'written',
          );
    return replaceResult(reply);
  }

  touch(key: string, ttl: number): Promise<void> {
    try {
      assertTtl(ttl);
    } catch (error) {
      return Promise.reject(error);
    }
    const redisKey = this.keyOf(key);
    if (ttl <= 0) {
      return this.deleteKey('touch', redisKey);
    }
    return this.call('touch', () => this.commands.expire(redisKey, wholeSeconds(ttl))).then(
      nothing,
    );
  }

  delete(key: string): Promise<void> {
    return this.deleteKey('delete', this.keyOf(key));
  }

  private async deleteKey(operation: string, redisKey: string): Promise<void> {
    if (this.replicaWait === undefined) {
      await this.call(operation, () => this.commands.del(redisKey));
    } else {
      await this.replicated(operation, { kind: 'del', key: redisKey }, () => true);
    }
  }

  /**
   * How many sessions the store holds: string keys under the prefix, counted with `SCAN ...
   * TYPE string` (Redis 6+) on every master, never `KEYS`, so Redis keeps serving meanwhile.
   * Keys written or expiring during the scan may or may not be counted.
   */
  async length(): Promise<number> {
    let count = 0;
    await this.eachScanBatch('length', 'string', (keys) => {
      count += keys.length;
      return Promise.resolve();
    });
    return count;
  }

  /**
   * Deletes every key under the prefix (sessions and index sets) on every master: `SCAN`
   * batches, each removed with `UNLINK` so the memory is freed in the background.
   */
  clear(): Promise<void> {
    return this.eachScanBatch('clear', undefined, async (keys) => {
      if (keys.length > 0) {
        await this.call('clear', () => this.commands.unlink(keys));
      }
    });
  }

  /**
   * Adds `member` to the set under `indexKey` (prefixed like session keys), in one script on
   * one key: a `ttl` (seconds) lengthens the set's lifetime but never shortens it, and no `ttl`
   * keeps the set forever. A `ttl` of zero or less adds nothing (that session is already gone).
   */
  async indexAdd(indexKey: string, member: string, ttl?: number): Promise<void> {
    if (ttl !== undefined) {
      assertTtl(ttl);
      if (ttl <= 0) {
        return;
      }
    }
    const args = [ttl === undefined ? '' : String(wholeSeconds(ttl)), member];
    const redisKey = this.keyOf(indexKey);
    await this.call('indexAdd', () => this.commands.runScript(redisKey, INDEX_ADD_SCRIPT, args));
  }

  /** The members of the set under `indexKey` (`SMEMBERS`); empty when it does not exist. */
  indexMembers(indexKey: string): Promise<string[]> {
    return this.call('indexMembers', () => this.commands.smembers(this.keyOf(indexKey)));
  }

  /** Removes `members` from the set under `indexKey` (`SREM`); nothing is sent for none. */
  async indexRemove(indexKey: string, members: string[]): Promise<void> {
    if (members.length > 0) {
      await this.call('indexRemove', () => this.commands.srem(this.keyOf(indexKey), members));
    }
  }
}
