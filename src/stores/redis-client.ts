import { SentinelSwitchFollower } from './redis-sentinel-switch';
import type {
  IoredisClient,
  IoredisClusterOptions as ClusterOptions,
  IoredisModule,
  IoredisOptions as RedisOptions,
} from './redis-ioredis-types';
import type { RedisStoreOptions } from './redis.store';

const DEFAULT_MAX_RETRIES = 1;

/** A connection the store opened, and for Sentinel what moves it on a failover. @internal */
export interface OpenedClient {
  readonly client: IoredisClient;
  readonly follower: SentinelSwitchFollower | undefined;
}

/** Builds the client for the options (already validated): Cluster, Sentinel, URL or host/port. */
export function openClient(
  ioredis: IoredisModule,
  options: RedisStoreOptions,
  commandTimeout: number,
): OpenedClient {
  const common: RedisOptions = {
    commandTimeout,
    maxRetriesPerRequest: options.maxRetriesPerRequest ?? DEFAULT_MAX_RETRIES,
    // Connect on the first command, so building the store (at import time) does no I/O.
    lazyConnect: true,
    // Commands issued in the same event-loop turn (many concurrent requests) go out in one socket
    // write; the command count is unchanged.
    enableAutoPipelining: true,
    // Kept on so the first command can wait for the lazy connect; commandTimeout bounds the wait.
    enableOfflineQueue: true,
    // After a failover the old master answers READONLY: reconnect (Sentinel finds the new
    // master) and resend the command.
    reconnectOnError: (error) => (error.message.startsWith('READONLY') ? 2 : false),
    ...credentials(options),
  };
  if (options.cluster !== undefined) {
    const { redisOptions: nodeOptions, ...clusterOptions } = options.clusterOptions ?? {};
    const { retryStrategy: _r, enableOfflineQueue: _e, ...perNode } = common;
    const cluster = new ioredis.Cluster(options.cluster, {
      lazyConnect: true,
      enableOfflineQueue: true,
      ...clusterOptions,
      redisOptions: { ...perNode, ...stripNodeOnly(options.redisOptions), ...nodeOptions },
    });
    return { client: cluster, follower: undefined };
  }
  const retrying: RedisOptions = {
    ...common,
    // Keep reconnecting (the server may come back), but never wait more than 2 s between tries.
    retryStrategy: (times) => Math.min(times * 100, 2000),
  };
  if (options.sentinels !== undefined) {
    const follower = new SentinelSwitchFollower(options.name!, options.sentinels);
    const client = new ioredis.Redis({
      ...common,
      sentinels: options.sentinels,
      name: options.name,
      // The follower moves the client on +switch-master; ioredis's detector would also drop a
      // connection already on the new master when the other sentinels announce the same switch.
      failoverDetector: false,
      retryStrategy: follower.reconnectDelay,
      // Same cadence when no sentinel answers (ioredis backs off to 1 s).
      sentinelRetryStrategy: (times) => Math.min(times * 20, 100),
      // Bounds how long a closed Sentinel helper connection may linger (ioredis default 2 s).
      disconnectTimeout: commandTimeout,
      ...options.redisOptions,
    });
    if (client.options.failoverDetector === true) {
      return { client, follower: undefined };
    }
    follower.attach(client, (sentinel) => new ioredis.Redis(sentinel));
    return { client, follower };
  }
  const server = { host: options.host, port: options.port };
  const explicit: RedisOptions = { ...retrying, ...dropUndefined(server), ...options.redisOptions };
  const client =
    options.url !== undefined
      ? new ioredis.Redis(options.url, explicit)
      : new ioredis.Redis(explicit);
  return { client, follower: undefined };
}

function credentials(options: RedisStoreOptions): RedisOptions {
  return dropUndefined({
    db: options.db,
    username: options.username,
    password: options.password,
  });
}

function stripNodeOnly(options: RedisOptions | undefined): ClusterOptions['redisOptions'] {
  if (options === undefined) {
    return {};
  }
  const { port: _p, host: _h, path: _x, sentinels: _s, retryStrategy: _r, ...rest } = options;
  const { enableOfflineQueue: _e, readOnly: _o, himportFieldsets: _f, ...perNode } = rest;
  return perNode;
}

function dropUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
