import { SessionConfigurationError } from '../session/session-configuration.error';
import { isIoredisClient, isNodeRedisClient } from '../stores/redis-commands';
import { RedisStore, type RedisStoreClient, type RedisStoreOptions } from '../stores/redis.store';
import type { SessionStore } from '../stores/session-store.interface';
import { ServerSessionFactory } from './server-session.factory';
import { SERVER_OPTION_NAMES } from './server-session-option-rules';
import type { ServerSessionOptions } from './server-session.options';
import { describeValue, expectBoolean, unknownOptionProblem } from './option-rules';

/**
 * Options of {@link RedisSessionFactory}: those of {@link ServerSessionOptions} without `store`,
 * plus `redis`, and pyramid_session_redis's names `setRedisTtl` / `setRedisTtlReadheavy` as
 * aliases of `setStoreTtl` / `touchOnRead`.
 *
 * @publicApi
 */
export interface RedisSessionFactoryOptions extends Omit<ServerSessionOptions, 'store'> {
  /**
   * Where the sessions live: a {@link RedisStore}, a client (an ioredis `Redis` or `Cluster`, or a
   * connected node-redis client, cluster or sentinel; wrapped in a RedisStore with the default
   * prefix; the client is never closed by us), or RedisStore
   * options (`url`, `host`/`port`/`db`, `sentinels` + `name`, `cluster`, `prefix`,
   * `commandTimeout`...), in which case the factory opens its own connection and closes it on
   * application shutdown. Each namespace gets its own store: two namespaces never share a
   * connection by accident.
   */
  redis: RedisStore<RedisStoreClient> | RedisStoreClient | RedisStoreOptions;
  /** pyramid_session_redis's `set_redis_ttl`: alias of `setStoreTtl` (false = LRU mode). @default true */
  setRedisTtl?: boolean;
  /** pyramid_session_redis's `set_redis_ttl_readheavy`: alias of `touchOnRead` (`GETEX`). @default false */
  setRedisTtlReadheavy?: boolean;
}

/** True for an ioredis `Redis` / `Cluster` or a node-redis client, cluster or sentinel. @internal */
export function isRedisClient(value: unknown): value is RedisStoreClient {
  return isIoredisClient(value) || isNodeRedisClient(value);
}

const REDIS_OPTION_NAMES: readonly string[] = [
  ...SERVER_OPTION_NAMES.filter((name) => name !== 'store'),
  'redis',
  'setRedisTtl',
  'setRedisTtlReadheavy',
];

/** Problems of the options only RedisSessionFactory has (the others are ServerSessionFactory's). */
function redisOptionProblem(options: RedisSessionFactoryOptions): string | undefined {
  const { redis } = options as { redis: unknown };
  return (
    unknownOptionProblem(options, REDIS_OPTION_NAMES, 'RedisSessionFactory') ??
    (redis !== null && typeof redis === 'object'
      ? undefined
      : `redis is ${describeValue(redis)}; pass a RedisStore, a Redis client, or RedisStore options such as { url: 'redis://localhost:6379' }.`) ??
    expectBoolean('setRedisTtl', options.setRedisTtl) ??
    expectBoolean('setRedisTtlReadheavy', options.setRedisTtlReadheavy)
  );
}

/** Stands in for a store whose options were refused; `validate()` reports why at start-up. */
function unusableStore(problem: string): SessionStore {
  const fail = () => Promise.reject(new SessionConfigurationError(problem));
  return { name: 'RedisStore', get: fail, set: fail, touch: fail, delete: fail };
}

function aliasProblem(
  options: RedisSessionFactoryOptions,
  ours: 'setStoreTtl' | 'touchOnRead',
  theirs: 'setRedisTtl' | 'setRedisTtlReadheavy',
): string | undefined {
  const a = options[ours];
  const b = options[theirs];
  return a !== undefined && b !== undefined && a !== b
    ? `${ours} is ${String(a)} but its alias ${theirs} is ${String(b)}. Give only one of them.`
    : undefined;
}

/**
 * {@link ServerSessionFactory} over a {@link RedisStore}, with pyramid_session_redis's option
 * names accepted. Build it from a settings map with `redisSessionFactoryFromSettings()`.
 *
 * @example
 * new RedisSessionFactory({
 *   redis: { url: process.env.REDIS_URL, prefix: 'app:auth:' },
 *   secret: process.env.AUTH_SECRET!,
 *   cookieName: 'auth',
 *   timeout: 3600,
 *   timeoutTrigger: 600,
 * })
 * @publicApi
 */
export class RedisSessionFactory extends ServerSessionFactory {
  private readonly redisProblem: string | undefined;

  constructor(options: RedisSessionFactoryOptions) {
    const { redis, setRedisTtl, setRedisTtlReadheavy, ...rest } = options;
    let store: SessionStore;
    let problem =
      redisOptionProblem(options) ??
      aliasProblem(options, 'setStoreTtl', 'setRedisTtl') ??
      aliasProblem(options, 'touchOnRead', 'setRedisTtlReadheavy');
    try {
      store =
        redis instanceof RedisStore
          ? redis
          : isRedisClient(redis)
            ? new RedisStore({ client: redis })
            : new RedisStore(redis ?? {});
    } catch (error) {
      if (!(error instanceof SessionConfigurationError)) {
        throw error;
      }
      // Reported by validate(), with the namespace, when the application starts.
      problem ??= error.message;
      store = unusableStore(error.message);
    }
    super({
      ...rest,
      store,
      setStoreTtl: rest.setStoreTtl ?? setRedisTtl,
      touchOnRead: rest.touchOnRead ?? setRedisTtlReadheavy,
    });
    this.redisProblem = problem;
  }

  override validate(namespace: string): void {
    if (this.redisProblem !== undefined) {
      throw new SessionConfigurationError(`Namespace "${namespace}": ${this.redisProblem}`);
    }
    super.validate(namespace);
  }

  override describe(): Record<string, unknown> {
    const store = this.store instanceof RedisStore ? this.store : undefined;
    return {
      ...super.describe(),
      type: 'RedisSessionFactory',
      prefix: store?.prefix,
      commandTimeout: store?.commandTimeout,
    };
  }
}
