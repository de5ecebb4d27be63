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
}

/** What tells an ioredis `Redis` or `Cluster` apart (ioredis types stay in redis.store.ts). @internal */
export interface IoredisShape {
  pipeline(): unknown;
  readonly status: string;
}

/**
 * The six commands the store sends, over either client library. Replies are normalised: a
 * missing key is `undefined`, integers are numbers. Every method may throw synchronously (a closed
 * node-redis client does); the store turns that into a rejection.
 * @internal
 */
export interface RedisCommands {
  get(key: string): Promise<string | undefined>;
  getex(key: string, seconds: number): Promise<string | undefined>;
  /** `GET` + `EXPIRE` in one round trip, for servers without `GETEX` (Redis < 6.2). */
  getThenExpire(key: string, seconds: number): Promise<string | undefined>;
  /** `SET key value [EX seconds] [NX]`; true when Redis answered OK (false: NX clash). */
  set(
    key: string,
    value: string,
    seconds: number | undefined,
    onlyIfAbsent: boolean,
  ): Promise<boolean>;
  expire(key: string, seconds: number): Promise<unknown>;
  del(key: string): Promise<unknown>;
  exists(key: string): Promise<number>;
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

/**
 * The commands over a node-redis client the application passed in. Options are given in the
 * `{ EX, NX }` form that v4 and v5 both accept. node-redis writes every command issued in one
 * event-loop turn in one socket write, so `GET` + `EXPIRE` issued together share a round trip.
 * @internal
 */
export function nodeRedisCommands(client: NodeRedisClient): RedisCommands {
  return {
    get: (key) => client.get(key).then(text),
    getex: (key, seconds) => client.getEx(key, { EX: seconds }).then(text),
    getThenExpire: (key, seconds) => {
      const read = client.get(key);
      const expire = client.expire(key, seconds);
      return Promise.all([read, expire]).then(([value]) => text(value));
    },
    set: (key, value, seconds, onlyIfAbsent) => {
      const options: { EX?: number; NX?: boolean } = {};
      if (seconds !== undefined) {
        options.EX = seconds;
      }
      if (onlyIfAbsent) {
        options.NX = true;
      }
      return client.set(key, value, options).then(isOk);
    },
    expire: (key, seconds) => client.expire(key, seconds),
    del: (key) => client.del(key),
    exists: (key) => client.exists(key).then(Number),
  };
}

function isOk(reply: unknown): boolean {
  return reply === 'OK';
}

/** A bulk reply as text: `undefined` for a missing key, a Buffer (a `typeMapping` client) decoded. */
function text(reply: unknown): string | undefined {
  if (reply === null || reply === undefined) {
    return undefined;
  }
  if (typeof reply === 'string') {
    return reply;
  }
  if (Buffer.isBuffer(reply)) {
    return reply.toString('utf8');
  }
  throw new TypeError(
    `RedisStore: the node-redis client answered with ${typeof reply} where a string was expected. Pass a client whose typeMapping returns strings or Buffers for bulk strings.`,
  );
}
