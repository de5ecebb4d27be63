import type { RedisStoreClient, RedisStoreOptions } from '../stores/redis.store';
import {
  norm,
  text,
  bool,
  int,
  secondsOrNone,
  socketTimeout,
  oneOf,
  callable,
  nodes,
  redisUrl,
  refused,
  noop,
} from './redis-setting-coercers';
import type { RedisSessionFactoryOptions } from './redis-session.factory';

/** The options being assembled from settings. @internal */
export interface SettingsDraft {
  options: Partial<RedisSessionFactoryOptions>;
  redis: RedisStoreOptions;
  connect?: (options: RedisStoreOptions) => RedisStoreClient;
  serialize?: (value: unknown) => string;
  deserialize?: (text: string) => unknown;
}

/**
 * How one setting is read: `coerce` returns the value or an Error whose message completes
 * `Setting "<key>" …`; `assign` puts it into the draft.
 *
 * @internal
 */
export interface SettingSpec {
  /** The name this one is an alias of (older pyramid_redis_sessions names). */
  canonical?: string;
  coerce(value: unknown): unknown;
  assign(draft: SettingsDraft, value: unknown): void;
}

const option =
  <K extends keyof RedisSessionFactoryOptions>(key: K) =>
  (draft: SettingsDraft, value: unknown) => {
    draft.options[key] = value as RedisSessionFactoryOptions[K];
  };

const redisOption =
  <K extends keyof RedisStoreOptions>(key: K) =>
  (draft: SettingsDraft, value: unknown) => {
    draft.redis[key] = value as RedisStoreOptions[K];
  };

const nothing = (): void => undefined;

const spec = (coerce: SettingSpec['coerce'], assign: SettingSpec['assign']): SettingSpec => ({
  coerce,
  assign,
});

const alias = (canonical: string): SettingSpec => ({ ...SPECS[canonical]!, canonical });

// The table itself: which option each pyramid_session_redis setting sets, through which coercer.
const SPECS: Record<string, SettingSpec> = {
  secret: spec(text, option('secret')),
  timeout: spec(secondsOrNone('a whole number of seconds'), option('timeout')),
  timeout_trigger: spec(secondsOrNone('a whole number of seconds'), option('timeoutTrigger')),
  python_expires: spec(bool, option('expiryInPayload')),
  set_redis_ttl: spec(bool, option('setRedisTtl')),
  set_redis_ttl_readheavy: spec(bool, option('setRedisTtlReadheavy')),
  detect_changes: spec(bool, option('detectChanges')),
  deserialized_fails_new: spec(bool, option('deserializedFailsNew')),
  invalidate_empty_session: spec(bool, option('invalidateEmptySession')),
  func_check_response_allow_cookies: spec(callable, option('allowCookies')),
  func_invalid_logger: spec(callable, option('onInvalidSession')),
  id_generator: spec(callable, option('idGenerator')),
  serialize: spec(callable, (d, v) => (d.serialize = v as SettingsDraft['serialize'])),
  deserialize: spec(callable, (d, v) => (d.deserialize = v as SettingsDraft['deserialize'])),
  cookie_name: spec(text, option('cookieName')),
  cookie_max_age: spec(secondsOrNone('a whole number of seconds'), (d, v) => {
    d.options.maxAge = v === null ? undefined : (v as number);
  }),
  cookie_path: spec(text, option('path')),
  cookie_domain: spec(text, option('domain')),
  cookie_secure: spec((v) => (norm(v) === 'auto' ? 'auto' : bool(v)), option('secure')),
  cookie_httponly: spec(bool, option('httpOnly')),
  cookie_samesite: spec(oneOf('lax', 'strict', 'none'), option('sameSite')),
  cookie_on_exception: spec(bool, option('cookieOnException')),
  cookie_expires: spec(
    refused(
      'cannot be read from settings (pyramid_session_redis refuses it too). Use cookie_max_age, or session.recookie({ expires }) per response.',
    ),
    nothing,
  ),
  cookie_comment: spec(
    refused(
      'is not supported: browsers ignore the Comment attribute (RFC 6265 removed it). Remove the setting.',
    ),
    nothing,
  ),
  redis_url: spec(redisUrl, redisOption('url')),
  redis_host: spec(text, redisOption('host')),
  redis_port: spec(int(1, 'a port number'), redisOption('port')),
  redis_db: spec(int(0, 'a database number (0 or more)'), redisOption('db')),
  redis_password: spec(text, redisOption('password')),
  redis_socket_timeout: spec(socketTimeout, (d, v) => {
    // redis-py's socket timeout is in seconds; RedisStore's deadline is in milliseconds.
    d.redis.commandTimeout = v === null ? undefined : Math.max(1, Math.round((v as number) * 1000));
  }),
  redis_unix_socket_path: spec(text, (d, v) => {
    d.redis.redisOptions = { ...d.redis.redisOptions, path: v as string };
  }),
  redis_connection_pool: spec(
    refused(
      'cannot be read from settings (pyramid_session_redis refuses it too). Pass an ioredis client with redis_client_callable, or build RedisSessionFactory in code.',
    ),
    nothing,
  ),
  redis_encoding: spec(
    noop(
      ['utf-8', 'utf8'],
      'is not supported: ioredis reads and writes UTF-8. Remove the setting.',
    ),
    nothing,
  ),
  redis_encoding_errors: spec(
    noop(['strict'], 'is not supported: ioredis has no encoding-errors mode. Remove the setting.'),
    nothing,
  ),
  redis_client_callable: spec(callable, (d, v) => (d.connect = v as SettingsDraft['connect'])),
  prefix: spec(text, redisOption('prefix')),
  assume_redis_lru: spec(
    refused(
      'was replaced by set_redis_ttl (with the opposite meaning) in pyramid_session_redis 1.2.2. Use set_redis_ttl = false for LRU mode.',
    ),
    nothing,
  ),
  // Beyond pyramid_session_redis: the rest of our options, for all-settings configuration.
  redis_sentinels: spec(nodes, redisOption('sentinels')),
  redis_sentinel_name: spec(text, redisOption('name')),
  redis_cluster: spec(nodes, redisOption('cluster')),
  on_store_error: spec(oneOf('throw', 'fail-open'), option('onStoreError')),
  report_missing_cookie: spec(bool, option('reportMissingCookie')),
  max_lifetime: spec(int(1, 'a whole number of seconds above 0'), option('maxLifetime')),
  cookie_partitioned: spec(bool, option('partitioned')),
};

// pyramid_redis_sessions' names (removed in pyramid_session_redis 1.7/1.8) still work.
Object.assign(SPECS, {
  url: alias('redis_url'),
  host: alias('redis_host'),
  port: alias('redis_port'),
  db: alias('redis_db'),
  password: alias('redis_password'),
  socket_timeout: alias('redis_socket_timeout'),
  unix_socket_path: alias('redis_unix_socket_path'),
  connection_pool: alias('redis_connection_pool'),
  charset: alias('redis_encoding'),
  errors: alias('redis_encoding_errors'),
  client_callable: alias('redis_client_callable'),
  custom_connect: alias('redis_client_callable'),
  encode: alias('serialize'),
  decode: alias('deserialize'),
});

/**
 * Every accepted setting name (after the prefix, lower-case). It has no prototype, so a setting
 * named `__proto__` or `constructor` is an unknown setting rather than a member of Object.
 * @internal
 */
export const SETTING_SPECS: Readonly<Record<string, SettingSpec>> = Object.assign(
  Object.create(null) as Record<string, SettingSpec>,
  SPECS,
);
