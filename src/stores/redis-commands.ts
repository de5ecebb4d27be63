import type { RedisScript } from './redis-scripts';

/**
 * The part of a node-redis client (the `redis` package, v4 or v5: `createClient()`,
 * `createCluster()`, `createSentinel()`) that {@link RedisStore} uses. Declared here so the
 * library needs neither client installed to type-check: any object with these methods is taken.
 *
 * @publicApi
 */
export interface NodeRedisClient {
  /** True once `connect()` was called and until `quit()` / `close()`. */
  readonly isOpen: boolean;
  get(key: string): Promise<unknown>;
  getEx(key: string, options: { EX: number }): Promise<unknown>;
  set(key: string, value: string, options?: { EX?: number; NX?: boolean }): Promise<unknown>;
  expire(key: string, seconds: number): Promise<unknown>;
  del(key: string): Promise<unknown>;
  exists(key: string): Promise<unknown>;
  /** Not called by the store; with `isOpen` and `getEx` it tells a node-redis client apart. */
  sendCommand(...args: never[]): unknown;
  // Used by replace(), length(), clear(), the index methods and `replicas` (node-redis v4 and v5
  // clients, clusters and sentinels all have them); typed loosely so every variant is taken.
  evalSha?(...args: never[]): unknown;
  eval?(...args: never[]): unknown;
  sMembers?(...args: never[]): unknown;
  sRem?(...args: never[]): unknown;
  unlink?(...args: never[]): unknown;
  scan?(...args: never[]): unknown;
  multi?(...args: never[]): unknown;
}

/** What tells an ioredis `Redis` or `Cluster` apart (ioredis types stay in redis.store.ts). @internal */
export interface IoredisShape {
  pipeline(): unknown;
  readonly status: string;
}

/** `WAIT min timeoutMs` after a write: how many replicas must confirm it, and how long to wait. @internal */
export interface ReplicaWait {
  readonly min: number;
  readonly timeoutMs: number;
}

/** `SET … NX` (only if absent), `SET … XX` (only if present), or neither. @internal */
export type SetCondition = 'NX' | 'XX' | undefined;

/** A write the store can follow with `WAIT` in the same round trip. @internal */
export type RedisWrite =
  | {
      kind: 'set';
      key: string;
      value: string;
      seconds: number | undefined;
      condition: SetCondition;
    }
  | { kind: 'del'; key: string }
  | { kind: 'script'; key: string; script: RedisScript; args: string[] };

/** The reply of a {@link RedisWrite} and how many replicas confirmed it. @internal */
export interface WaitedWrite {
  readonly reply: unknown;
  readonly replicas: number;
}

/**
 * The commands the store sends, over either client library. Replies are normalised: a
 * missing key is `undefined`, integers are numbers. Every method may throw synchronously (a closed
 * node-redis client does); the store turns that into a rejection.
 * @internal
 */
export interface RedisCommands {
  get(key: string): Promise<string | undefined>;
  getex(key: string, seconds: number): Promise<string | undefined>;
  /** `GET` + `EXPIRE` in one round trip, for servers without `GETEX` (Redis < 6.2). */
  getThenExpire(key: string, seconds: number): Promise<string | undefined>;
  /** `SET key value [EX seconds] [NX|XX]`; true when Redis answered OK (false: condition not met). */
  set(
    key: string,
    value: string,
    seconds: number | undefined,
    condition: SetCondition,
  ): Promise<boolean>;
  expire(key: string, seconds: number): Promise<unknown>;
  del(key: string): Promise<unknown>;
  exists(key: string): Promise<number>;
  /** Runs a write, then `WAIT` on the same connection in the same round trip. */
  writeAndWait(write: RedisWrite, wait: ReplicaWait): Promise<WaitedWrite>;
  /** `EVALSHA`, falling back to `EVAL` on NOSCRIPT; the raw reply. */
  runScript(key: string, script: RedisScript, args: string[]): Promise<unknown>;
  smembers(key: string): Promise<string[]>;
  srem(key: string, members: string[]): Promise<unknown>;
  /**
   * Every key matching `pattern` on every master (each Cluster master in turn), one `SCAN`
   * batch at a time; with `type`, only keys of that type (`SCAN ... TYPE`, Redis 6+).
   */
  scan(pattern: string, count: number, type?: string): AsyncIterable<string[]>;
  /** Deletes keys in the background (`UNLINK`): one command per batch, or per key in a Cluster. */
  unlink(keys: string[]): Promise<unknown>;
}

/** True for an ioredis `Redis` or `Cluster` instance (both have `pipeline()` and `status`). @internal */
export function isIoredisClient(value: unknown): value is IoredisShape {
  const candidate = value as { pipeline?: unknown; status?: unknown } | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.pipeline === 'function' &&
    typeof candidate.status === 'string'
  );
}

/** True for a node-redis client, cluster or sentinel (v4 / v5): `isOpen` and `getEx`. @internal */
export function isNodeRedisClient(value: unknown): value is NodeRedisClient {
  const candidate = value as { isOpen?: unknown; getEx?: unknown; sendCommand?: unknown } | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.isOpen === 'boolean' &&
    typeof candidate.getEx === 'function' &&
    typeof candidate.sendCommand === 'function'
  );
}
