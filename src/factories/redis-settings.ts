import { SessionConfigurationError } from '../session/session-configuration.error';
import type { RedisStoreClient, RedisStoreOptions } from '../stores/redis.store';
import type { SessionSerializer } from '../session/serializer';
import {
  isRedisClient,
  RedisSessionFactory,
  type RedisSessionFactoryOptions,
} from './redis-session.factory';
import { SETTING_SPECS, type SettingSpec, type SettingsDraft } from './redis-setting-table';

/**
 * A flat settings map (an env file, `ConfigService`, a parsed INI): strings are coerced, and
 * callables (`func_invalid_logger`, `id_generator`, `serialize`...) are given as functions.
 *
 * @publicApi
 */
export type RedisSessionSettings = Readonly<Record<string, unknown>>;

/**
 * pyramid_session_redis's `redis_client_callable` / pyramid_redis_sessions's `custom_connect`:
 * receives the connection options read from the settings and returns the ioredis client to use.
 * The client is yours: it is never closed by the library.
 *
 * @publicApi
 */
export type RedisClientCallable = (options: RedisStoreOptions) => RedisStoreClient;

/** A value read from a setting, with the key as the user wrote it (for messages). */
interface Read {
  key: string;
  value: unknown;
}

/**
 * Builds a {@link RedisSessionFactory} from `redis.sessions.*` settings, as
 * pyramid_redis_sessions' `session_factory_from_settings` does: every pyramid_session_redis
 * setting (and the older bare `url`, `host`, `port`... names), with booleans and numbers coerced
 * from strings, `"None"` or `0` meaning "none" for `timeout`, `timeout_trigger`, `cookie_max_age`
 * and `redis_socket_timeout`, and an empty value meaning "not set". Each bad, unknown or dropped
 * setting is refused with a `SessionConfigurationError` naming the key. Keys after the prefix are
 * matched case-insensitively, so `REDIS_SESSIONS_TIMEOUT` works with `prefix: 'REDIS_SESSIONS_'`.
 *
 * @example
 * redisSessionFactoryFromSettings({
 *   'redis.sessions.secret': process.env.SESSION_SECRET,
 *   'redis.sessions.url': 'redis://127.0.0.1:6380/0',
 *   'redis.sessions.timeout': '3600',
 *   'redis.sessions.cookie_name': 'auth',
 * })
 * @publicApi
 */
export function redisSessionFactoryFromSettings(
  settings: RedisSessionSettings,
  prefix = 'redis.sessions.',
): RedisSessionFactory {
  const seen = new Map<string, Read>();
  for (const [key, value] of Object.entries(settings ?? {})) {
    if (!key.startsWith(prefix) || value === undefined || value === '') {
      continue;
    }
    const name = key.slice(prefix.length).toLowerCase();
    const spec = SETTING_SPECS[name];
    if (spec === undefined) {
      throw new SessionConfigurationError(
        `Setting "${key}" is not a known session setting. Remove it or fix its name (see the pyramid_session_redis mapping table in docs/migrating.md).`,
      );
    }
    const canonical = spec.canonical ?? name;
    const earlier = seen.get(canonical);
    if (earlier !== undefined) {
      throw new SessionConfigurationError(
        `Settings "${earlier.key}" and "${key}" are the same setting. Keep only one of them.`,
      );
    }
    seen.set(canonical, { key, value });
  }
  const draft: SettingsDraft = { options: {}, redis: {} };
  for (const [canonical, read] of seen) {
    apply(SETTING_SPECS[canonical]!, read, draft);
  }
  if (!seen.has('secret')) {
    throw new SessionConfigurationError(
      `Setting "${prefix}secret" is missing; it is required. Set it to a random secret of 32 bytes or more.`,
    );
  }
  if ((draft.serialize === undefined) !== (draft.deserialize === undefined)) {
    const missing = draft.serialize === undefined ? 'serialize' : 'deserialize';
    throw new SessionConfigurationError(
      `Setting "${prefix}${missing}" is missing; serialize and deserialize must be given together. Add the other function, or remove both.`,
    );
  }
  if (draft.serialize !== undefined) {
    const serializer: SessionSerializer = {
      serialize: draft.serialize,
      deserialize: draft.deserialize!,
    };
    draft.options.serializer = serializer;
  }
  draft.options.redis = connection(draft);
  return new RedisSessionFactory(draft.options as RedisSessionFactoryOptions);
}

function apply(spec: SettingSpec, read: Read, draft: SettingsDraft): void {
  const value = spec.coerce(read.value);
  if (value instanceof Error) {
    throw new SessionConfigurationError(`Setting "${read.key}" ${value.message}`);
  }
  spec.assign(draft, value);
}

/** The store's connection: a client from the callable, or RedisStore options. */
function connection(draft: SettingsDraft): RedisSessionFactoryOptions['redis'] {
  if (draft.connect === undefined) {
    return draft.redis;
  }
  const { prefix, commandTimeout, ...connectOptions } = draft.redis;
  const client = draft.connect(connectOptions);
  if (!isRedisClient(client)) {
    throw new SessionConfigurationError(
      `Setting "redis_client_callable" returned ${client === undefined ? 'undefined' : 'something that is not a Redis client'}. Return a Redis or Cluster instance from ioredis, or a connected node-redis client.`,
    );
  }
  return { client, prefix, commandTimeout };
}
