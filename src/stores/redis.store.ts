import { createRequire } from 'node:module';
import { join } from 'node:path';
import { openClient } from './redis-client';
import { SessionConfigurationError } from '../session/session-configuration.error';
import { isNodeRedisClient, type NodeRedisClient } from './redis-commands';
import { ioredisCommands } from './redis-ioredis-commands';
import { nodeRedisCommands } from './redis-node-redis-commands';
import { replicaWaitFor, type RedisReplicasOption } from './redis-replicas';
import type { SentinelSwitchFollower } from './redis-sentinel-switch';
import { redisStoreProblem, type RedisNodeAddress } from './redis-store-options';
import { RedisStoreOperations } from './redis-store-operations';
import { withTimeout } from './deadline-sweeper';
import type {
  IoredisClient,
  IoredisClusterOptions,
  IoredisConnection,
  IoredisModule,
  IoredisOptions,
} from './redis-ioredis-types';

export type { RedisNodeAddress } from './redis-store-options';
export type { NodeRedisClient } from './redis-commands';
export type { RedisReplicasOption } from './redis-replicas';
export type {
  IoredisClient,
  IoredisClusterOptions,
  IoredisNatMap,
  IoredisOptions,
  IoredisPipeline,
} from './redis-ioredis-types';

/**
 * What the store talks to: an ioredis client (single node, Sentinel) or Cluster, or a node-redis
 * client, cluster or sentinel (the `redis` package, v4 or v5). @publicApi
 */
export type RedisStoreClient = IoredisClient | NodeRedisClient;

/**
 * Options of {@link RedisStore}. Give exactly one way to reach Redis: `client`, or `url`, or
 * `host` and/or `port` (a `port` alone means this machine), or `sentinels` + `name`, or `cluster`
 * (a Unix socket goes in `redisOptions.path`). With none, or with `url` / `host` present but
 * undefined (an unset environment variable), the store refuses to start rather than fall back to
 * `127.0.0.1:6379`.
 *
 * @publicApi
 */
export interface RedisStoreOptions<C extends RedisStoreClient = RedisStoreClient> {
  /**
   * A client you created and manage: the store never connects or closes it. Either an ioredis
   * `Redis` / `Cluster`, or a node-redis client from `createClient()` / `createCluster()` /
   * `createSentinel()`, already `connect()`ed (the client connect-redis uses). The other options that open a connection
   * (`url`, `host`, `sentinels`, `cluster`...) do not apply to a client passed in.
   */
  client?: C;
  /** Connection URL, e.g. `redis://:password@host:6379/2` or `rediss://...` for TLS. */
  url?: string;
  /** Host of a single Redis server. @default '127.0.0.1' when only `port` is given */
  host?: string;
  /** Port of a single Redis server; given alone, one on this machine. @default 6379 */
  port?: number;
  /** Database index (single server and Sentinel only; a Cluster has only database 0). @default 0 */
  db?: number;
  /** ACL user name (Redis 6+). */
  username?: string;
  /** Password (`AUTH`). For Sentinel it authenticates against the master; see `redisOptions.sentinelPassword`. */
  password?: string;
  /** Sentinel addresses; the store asks them for the current master of `name`. */
  sentinels?: RedisNodeAddress[];
  /** Master name monitored by the sentinels (`sentinel monitor <name> ...`). */
  name?: string;
  /** Cluster seed nodes; the rest of the cluster is discovered from them. */
  cluster?: RedisNodeAddress[];
  /** Extra ioredis `Cluster` options (e.g. `retryDelayOnFailover`, `natMap`). */
  clusterOptions?: IoredisClusterOptions;
  /** Extra ioredis options for the connection(s) the store opens (TLS, `connectionName`...). */
  redisOptions?: IoredisOptions;
  /**
   * Prepended to every key, to keep sessions apart from other data and namespaces apart from
   * each other. Keys are hashes of session ids (`storeKey`), so no raw id reaches Redis.
   * @default 'session:'
   */
  prefix?: string;
  /**
   * Deadline in milliseconds for every call, including calls on a passed-in `client`: a frozen
   * or unreachable server makes the call reject instead of hanging the request.
   * @default 1000
   */
  commandTimeout?: number;
  /**
   * Reconnection attempts a command waits through before it fails (ioredis
   * `maxRetriesPerRequest`; its default of 20 makes a down server take seconds to report).
   * @default 1
   */
  maxRetriesPerRequest?: number;
  /**
   * "Acknowledged means replicated": after each session write (`set`, `replace`, `delete`) the
   * store sends `WAIT min timeoutMs` in the same round trip, and a write fewer replicas confirmed
   * rejects with an {@link InsufficientReplicasError} instead of resolving. Sentinel promotes a
   * replica on failover, so a write only the old master held would be lost. `false` turns it off.
   * @default { min: 1, timeoutMs: 50 } with `sentinels` (or an ioredis Sentinel `client`), else off
   */
  replicas?: RedisReplicasOption | false;
}

const DEFAULT_PREFIX = 'session:';
const DEFAULT_COMMAND_TIMEOUT_MS = 1000;
const MISSING_IOREDIS =
  'The "ioredis" package is missing. Install it (npm install ioredis) to use RedisStore.';

let ioredisModule: IoredisModule | undefined;

/**
 * Loads `ioredis` on first need, so applications without Redis do not need the package.
 * @internal
 */
export function loadIoredis(load: (id: string) => unknown = nodeRequire()): IoredisModule {
  try {
    return load('ioredis') as IoredisModule;
  } catch (error) {
    const missing =
      (error as NodeJS.ErrnoException | undefined)?.code === 'MODULE_NOT_FOUND' &&
      String((error as Error).message).includes("'ioredis'");
    if (missing) {
      throw new SessionConfigurationError(MISSING_IOREDIS, { cause: error });
    }
    throw error;
  }
}

function nodeRequire(): (id: string) => unknown {
  // The published build is CommonJS and has `require`; under an ES module loader (Jest's ESM
  // mode) there is none, so resolve from the application's working directory instead.
  return typeof require === 'function' ? require : createRequire(join(process.cwd(), 'index.js'));
}

/**
 * Keeps session payloads in Redis through ioredis: one server, Sentinel or Cluster. One key per
 * session (`prefix` + hashed id) and single-key commands only, so it is Cluster-safe:
 * `GET`, `GETEX key EX ttl` (or `GET` + `EXPIRE` pipelined before Redis 6.2), `SET key value
 * [EX ttl] [NX]`, `EXPIRE`, `DEL`. Without a TTL a key is written with no expiry (LRU mode:
 * configure `maxmemory-policy allkeys-lru`). A TTL of zero or less deletes the key.
 *
 * Connections the store opens connect on first use (`lazyConnect`), fail fast when Redis is
 * down, reconnect on `READONLY` after a failover, and are closed by `close()`; a `client` you
 * pass in is used as is and left open. Failed calls reject with the ioredis error.
 *
 * @example
 * ```ts
 * new RedisStore({ url: process.env.REDIS_URL, prefix: 'app:auth:' });
 * new RedisStore({ sentinels: [{ host: '10.0.0.1', port: 26379 }], name: 'mymaster' });
 * new RedisStore({ cluster: [{ host: '10.0.0.1', port: 7000 }] });
 * new RedisStore({ client: existingIoredisClient });
 * ```
 * @publicApi
 */
export class RedisStore<C extends RedisStoreClient = IoredisClient> extends RedisStoreOperations {
  /**
   * The client in use: the one passed in (typed as given), or the ioredis client the store
   * opened.
   */
  readonly client: C;
  /** Whether `close()` closes {@link client} (only when the store opened it). */
  readonly ownsClient: boolean;
  private closed = false;
  /** A close() in progress: open() waits for it. */
  private closing: Promise<void> | undefined;
  /** Moves a Sentinel connection the store opened to the new master on `+switch-master`. */
  private readonly follower: SentinelSwitchFollower | undefined;

  constructor(options: RedisStoreOptions<C>) {
    const problem = redisStoreProblem(options);
    if (problem !== undefined) {
      throw new SessionConfigurationError(problem);
    }
    const commandTimeout = options.commandTimeout ?? DEFAULT_COMMAND_TIMEOUT_MS;
    let client: RedisStoreClient;
    let follower: SentinelSwitchFollower | undefined;
    if (options.client !== undefined) {
      client = options.client;
    } else {
      ioredisModule ??= loadIoredis();
      ({ client, follower } = openClient(ioredisModule, options, commandTimeout));
      const opened = client;
      // Failures reach callers as command rejections; without a listener ioredis would also
      // print every connection error as "Unhandled error event".
      opened.on('error', () => undefined);
      opened.on('node error', () => undefined);
    }
    super({
      prefix: options.prefix ?? DEFAULT_PREFIX,
      commandTimeout,
      replicaWait: replicaWaitFor(options.replicas, usesSentinel(options)),
      commands: isNodeRedisClient(client) ? nodeRedisCommands(client) : ioredisCommands(client),
      failover: follower,
    });
    // Without a client option C is its default, IoredisClient.
    this.client = client as C;
    this.ownsClient = options.client === undefined;
    this.follower = follower;
    if (this.ownsClient && options.sentinels !== undefined) {
      this.reopenAfterFailoverRace(client as IoredisConnection);
    }
  }

  /**
   * ioredis (6.0.0) ends a Sentinel client for good when its failover detector (on when
   * `redisOptions.failoverDetector` turns it back on) sees `+switch-master` while the client is
   * between reconnects: the detector closes the connector under the pending connect, which then
   * fails with "Connection is closed." and sets status "end". Connecting again, unless close()
   * ended it, restores it.
   */
  private reopenAfterFailoverRace(client: IoredisConnection): void {
    client.on('end', () => {
      if (!this.closed) {
        client.connect().catch(() => undefined);
      }
    });
  }

  /**
   * Connects again after {@link close}: an application that starts using a factory whose store
   * an earlier application closed (one `forRoot()` factory, one app per test) calls it through
   * the module. A store in use, or a client passed in, is left as it is.
   */
  open(): void {
    if (!this.ownsClient || !this.closed) {
      return;
    }
    const reopen = (): void => {
      this.closed = false;
      const client = this.client as IoredisConnection;
      this.follower?.resume(client);
      if (client.status === 'end') {
        client.connect().catch(() => undefined);
      }
    };
    if (this.closing === undefined) {
      reopen();
    } else {
      void this.closing.then(reopen);
    }
  }

  /**
   * Closes the connection the store opened: `QUIT` (waiting at most `commandTimeout`), then a
   * disconnect that also drops helper connections. A client passed in is left alone.
   */
  close(): Promise<void> {
    if (!this.ownsClient || this.closed) {
      return this.closing ?? Promise.resolve();
    }
    this.closed = true;
    const closing = this.shutDown().finally(() => {
      if (this.closing === closing) {
        this.closing = undefined;
      }
    });
    this.closing = closing;
    return closing;
  }

  private async shutDown(): Promise<void> {
    this.follower?.stop();
    const client = this.client as IoredisClient;
    if (client.status === 'wait' || client.status === 'end') {
      // Never connected (lazyConnect) or already gone: QUIT would open a connection to close it.
      client.disconnect();
      return;
    }
    const ended = new Promise<void>((resolve) => client.once('end', () => resolve()));
    try {
      await withTimeout(client.quit(), this.commandTimeout);
    } catch {
      // QUIT failed or hangs: the disconnect below drops the connection instead.
    }
    // Also releases what the connector holds besides the main socket (Sentinel's failover
    // subscriptions), which QUIT leaves open.
    client.disconnect();
    await withTimeout(ended, this.commandTimeout).catch(() => undefined);
  }
}

/** Whether the store talks to Sentinel: `sentinels` given, or an ioredis client built with them. */
function usesSentinel(options: RedisStoreOptions<RedisStoreClient>): boolean {
  const clientOptions = (options.client as { options?: { sentinels?: unknown } } | undefined)
    ?.options;
  return options.sentinels !== undefined || Array.isArray(clientOptions?.sentinels);
}
