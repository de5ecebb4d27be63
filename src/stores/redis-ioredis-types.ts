import type { SrvRecord } from 'node:dns';
import type { ConnectionOptions } from 'node:tls';
import type { RedisNodeAddress } from './redis-store-options';

// ioredis is an optional peer dependency, so the declarations a consumer compiles against must not
// import it: the ioredis types the options and the client accept are declared here by shape.
// test/unit/stores/redis-ioredis-types.spec.ts checks them against the installed ioredis both ways
// (every ioredis option is here, and ioredis takes what is declared here).

/** A command queued on an ioredis pipeline; `exec()` sends them in one write. @publicApi */
export interface IoredisPipeline {
  call(command: string, ...args: (string | number)[]): IoredisPipeline;
  exec(): Promise<Array<[error: Error | null, result: unknown]> | null>;
}

/**
 * An event listener. Method syntax keeps its parameters bivariant, so both ioredis's
 * `(...args: any[]) => void` and a listener with typed parameters fit.
 */
type IoredisListener = { listener(...args: unknown[]): void }['listener'];

/**
 * The part of an ioredis `Redis` or `Cluster` that {@link RedisStore} uses: a client you pass in is
 * taken when it has these members, and a store that opened its own connection exposes it as this
 * type. To see the store's own client as ioredis's class, name it: `new RedisStore<Redis>({ url })`.
 *
 * @publicApi
 */
export interface IoredisClient {
  /** `'wait'` until the first command (connections open lazily), then `'ready'`... `'end'`. */
  readonly status: string;
  readonly isCluster: boolean;
  call(command: string, ...args: (string | number)[]): Promise<unknown>;
  pipeline(): IoredisPipeline;
  connect(): Promise<void>;
  quit(): Promise<unknown>;
  disconnect(reconnect?: boolean): void;
  on(event: string, listener: IoredisListener): unknown;
  once(event: string, listener: IoredisListener): unknown;
}

/** ioredis `natMap`: announced `host:port` → the address to connect to. @publicApi */
export type IoredisNatMap =
  | { [announced: string]: { host: string; port: number } }
  | ((announced: string) => { host: string; port: number } | null);

/** ioredis `retryStrategy`: the delay in ms before reconnect attempt `times`, or none to stop. */
type RetryStrategy = ((times: number) => number | void | null) | null | undefined;

/** A replica address as `SENTINEL replicas` reports it (ioredis `preferredSlaves`). */
interface ReplicaAddress {
  port: string;
  ip: string;
  flags?: string | undefined;
}

/**
 * Options of the ioredis connections the store opens (`redisOptions`): ioredis's `RedisOptions`
 * (v5 and v6), declared here so that using the library does not require ioredis's types. See the
 * ioredis documentation for each option; the store sets `lazyConnect`, `commandTimeout`,
 * `maxRetriesPerRequest`, `enableAutoPipelining`, `retryStrategy` and `reconnectOnError` itself,
 * and values given here win.
 *
 * @publicApi
 */
export interface IoredisOptions {
  host?: string | undefined;
  port?: number | undefined;
  /** Unix socket path, in place of host and port. */
  path?: string | undefined;
  family?: number | undefined;
  tls?: ConnectionOptions | undefined;
  username?: string | undefined;
  password?: string | undefined;
  db?: number | undefined;
  connectionName?: string | undefined;
  disableClientInfo?: boolean | undefined;
  clientInfoTag?: string | undefined;
  keyPrefix?: string | undefined;
  showFriendlyErrorStack?: boolean | undefined;
  retryStrategy?: RetryStrategy;
  reconnectOnError?: ((err: Error) => boolean | 1 | 2) | null | undefined;
  commandTimeout?: number | undefined;
  blockingTimeout?: number | undefined;
  blockingTimeoutGrace?: number | undefined;
  socketTimeout?: number | undefined;
  connectTimeout?: number | undefined;
  disconnectTimeout?: number | undefined;
  keepAlive?: number | undefined;
  noDelay?: boolean | undefined;
  autoResubscribe?: boolean | undefined;
  autoResendUnfulfilledCommands?: boolean | undefined;
  readOnly?: boolean | undefined;
  stringNumbers?: boolean | undefined;
  protocol?: 2 | 3 | undefined;
  replyMapping?: 'legacy' | 'resp3' | undefined;
  monitor?: boolean | undefined;
  maxRetriesPerRequest?: number | null | undefined;
  maxLoadingRetryTime?: number | undefined;
  enableAutoPipelining?: boolean | undefined;
  autoPipeliningIgnoredCommands?: string[] | undefined;
  offlineQueue?: boolean | undefined;
  commandQueue?: boolean | undefined;
  enableOfflineQueue?: boolean | undefined;
  enableReadyCheck?: boolean | undefined;
  lazyConnect?: boolean | undefined;
  scripts?:
    | Record<
        string,
        { lua: string; numberOfKeys?: number | undefined; readOnly?: boolean | undefined }
      >
    | undefined;
  himportFieldsets?:
    | readonly { readonly name: string | Buffer; readonly fields: readonly (string | Buffer)[] }[]
    | undefined;
  /** Sentinel master name; the store's own `name` option sets it. */
  name?: string | undefined;
  role?: 'master' | 'slave' | undefined;
  sentinels?: Array<Partial<{ host: string; port: number; family: number }>> | undefined;
  sentinelUsername?: string | undefined;
  sentinelPassword?: string | undefined;
  sentinelTLS?: ConnectionOptions | undefined;
  enableTLSForSentinelMode?: boolean | undefined;
  sentinelRetryStrategy?: ((retryAttempts: number) => number | void | null) | undefined;
  sentinelReconnectStrategy?: ((retryAttempts: number) => number | void | null) | undefined;
  sentinelCommandTimeout?: number | undefined;
  sentinelMaxConnections?: number | undefined;
  preferredSlaves?:
    | ((replicas: ReplicaAddress[]) => ReplicaAddress | null)
    | Array<{ port: string; ip: string; prio?: number | undefined }>
    | { port: string; ip: string; prio?: number | undefined }
    | undefined;
  updateSentinels?: boolean | undefined;
  failoverDetector?: boolean | undefined;
  natMap?: IoredisNatMap | undefined;
}

/** What ioredis's `Cluster` takes per node: no address, retry or offline-queue settings. */
type IoredisClusterNodeOptions = Omit<
  IoredisOptions,
  | 'port'
  | 'host'
  | 'path'
  | 'sentinels'
  | 'retryStrategy'
  | 'enableOfflineQueue'
  | 'readOnly'
  | 'himportFieldsets'
>;

/**
 * Options of the ioredis `Cluster` the store opens (`clusterOptions`): ioredis's
 * `ClusterOptions` (v5 and v6), declared here so that using the library does not require
 * ioredis's types.
 *
 * @publicApi
 */
export interface IoredisClusterOptions {
  clusterRetryStrategy?:
    ((times: number, reason?: Error) => number | void | null) | null | undefined;
  clusterNodeRetryStrategy?: RetryStrategy;
  enableOfflineQueue?: boolean | undefined;
  enableReadyCheck?: boolean | undefined;
  /**
   * The node(s) read-only commands go to: a role, or a function `(nodes, command)` returning
   * node(s). `Function` is ioredis's own type, kept so a `ClusterOptions` value fits.
   */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  scaleReads?: 'master' | 'slave' | 'all' | Function | undefined;
  maxRedirections?: number | undefined;
  retryDelayOnFailover?: number | undefined;
  retryDelayOnClusterDown?: number | undefined;
  retryDelayOnTryAgain?: number | undefined;
  retryDelayOnMoved?: number | undefined;
  slotsRefreshTimeout?: number | undefined;
  slotsRefreshInterval?: number | undefined;
  shardedSubscribers?: boolean | undefined;
  /** Options of the connection to each node. */
  redisOptions?: IoredisClusterNodeOptions | undefined;
  lazyConnect?: boolean | undefined;
  useSRVRecords?: boolean | undefined;
  resolveSrv?:
    | ((
        hostname: string,
        callback: (err: NodeJS.ErrnoException | null | undefined, records?: SrvRecord[]) => void,
      ) => void)
    | undefined;
  dnsLookup?:
    | ((
        hostname: string,
        callback: (
          err: NodeJS.ErrnoException | null | undefined,
          address: string,
          family?: number,
        ) => void,
      ) => void)
    | undefined;
  natMap?: IoredisNatMap | undefined;
  enableAutoPipelining?: boolean | undefined;
  autoPipeliningIgnoredCommands?: string[] | undefined;
  scripts?: Record<string, { lua: string; numberOfKeys?: number; readOnly?: boolean }> | undefined;
  himportFieldsets?: IoredisOptions['himportFieldsets'];
  keyPrefix?: string | undefined;
  showFriendlyErrorStack?: boolean | undefined;
}

/** An ioredis `Redis` connection as the store drives it (Sentinel follower included). @internal */
export interface IoredisConnection extends IoredisClient {
  readonly options: IoredisOptions;
  subscribe(...channels: string[]): Promise<unknown>;
}

/** The ioredis module, as the store uses it (loaded at first need). @internal */
export interface IoredisModule {
  Redis: {
    new (options: IoredisOptions): IoredisConnection;
    new (url: string, options: IoredisOptions): IoredisConnection;
  };
  Cluster: new (nodes: RedisNodeAddress[], options: IoredisClusterOptions) => IoredisClient;
}
