import type { RedisNodeAddress, RedisStoreClient, RedisStoreOptions } from '../stores/redis.store';
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

function shown(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : String(value);
}

/** Trimmed lower-case text of a primitive; '' for anything else (which then fails its check). */
function norm(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value).trim().toLowerCase()
    : '';
}

const TRUE = new Set(['true', 'yes', 'on', 'y', 't', '1']);
const FALSE = new Set(['false', 'no', 'off', 'n', 'f', '0']);
const NONE = new Set(['none', 'null']);

const text = (value: unknown): unknown =>
  typeof value === 'string' ? value : new Error(`is ${shown(value)}; it must be text.`);

const bool = (value: unknown): unknown => {
  if (typeof value === 'boolean') {
    return value;
  }
  const v = norm(value);
  if (TRUE.has(v) || FALSE.has(v)) {
    return TRUE.has(v);
  }
  return new Error(`is ${shown(value)}; it must be true or false. Fix the value.`);
};

function integer(value: unknown, min: number): number | undefined {
  const n =
    typeof value === 'number' ? value : /^-?\d+$/.test(norm(value)) ? Number(norm(value)) : NaN;
  return Number.isInteger(n) && n >= min ? n : undefined;
}

const int =
  (min: number, what: string) =>
  (value: unknown): unknown =>
    integer(value, min) ?? new Error(`is ${shown(value)}; it must be ${what}. Fix the value.`);

/** The seed's rule: "None" or 0 means none (null). */
const secondsOrNone =
  (what: string) =>
  (value: unknown): unknown => {
    if (value === null || NONE.has(norm(value))) {
      return null;
    }
    const n = integer(value, 0);
    if (n === undefined) {
      return new Error(
        `is ${shown(value)}; it must be ${what}, or "None"/0 for none. Fix the value.`,
      );
    }
    return n === 0 ? null : n;
  };

/** Seconds, fractions allowed; "None"/0 keep RedisStore's default deadline (never no deadline). */
const socketTimeout = (value: unknown): unknown => {
  if (value === null || NONE.has(norm(value))) {
    return null;
  }
  const n = typeof value === 'number' ? value : norm(value) === '' ? NaN : Number(norm(value));
  if (!Number.isFinite(n) || n < 0) {
    return new Error(
      `is ${shown(value)}; it must be a number of seconds, or "None"/0 for the default. Fix the value.`,
    );
  }
  return n === 0 ? null : n;
};

const oneOf =
  (...allowed: string[]) =>
  (value: unknown): unknown => {
    const v = norm(value);
    return allowed.includes(v)
      ? v
      : new Error(
          `is ${shown(value)}; it must be one of ${allowed.map((a) => `"${a}"`).join(', ')}. Fix the value.`,
        );
  };

const callable = (value: unknown): unknown =>
  typeof value === 'function'
    ? value
    : new Error(
        typeof value === 'string'
          ? `is the string ${shown(value)}; dotted paths cannot be resolved in JavaScript. Put the function itself in the settings object.`
          : `is ${shown(value)}; it must be a function. Put the function itself in the settings object.`,
      );

/** "host:port,host:port" (or a list of { host, port }). */
const nodes = (value: unknown): unknown => {
  if (Array.isArray(value)) {
    return value as RedisNodeAddress[];
  }
  const list = String(value)
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const colon = part.lastIndexOf(':');
      return { host: part.slice(0, colon), port: integer(part.slice(colon + 1), 1) };
    });
  return list.length > 0 && list.every((n) => n.host !== '' && n.port !== undefined)
    ? list
    : new Error(
        `is ${shown(value)}; it must be a comma-separated list of host:port. Fix the value.`,
      );
};

/**
 * A URL ioredis can read: it parses `redis://` / `rediss://` URLs as they are, `//host` and
 * `host:port` with `redis:` put in front, and takes a bare port or a socket path as such. A text it
 * cannot parse would otherwise fail inside ioredis with a TypeError ("Invalid URL").
 */
const redisUrl = (value: unknown): unknown => {
  if (typeof value !== 'string') {
    return text(value);
  }
  const candidate = /^rediss?:\/\//i.test(value)
    ? value
    : value.startsWith('//')
      ? `redis:${value}`
      : `redis://${value}`;
  return /^\d+$/.test(value) || /^\/(?!\/)/.test(value) || URL.canParse(candidate)
    ? value
    : new Error(
        `is ${shown(value)}; it must be a Redis URL such as "redis://127.0.0.1:6379/0". Fix the value.`,
      );
};

const refused = (reason: string) => (): unknown => new Error(reason);

/** A redis-py option with no ioredis equivalent: its harmless default is accepted, nothing else. */
const noop =
  (harmless: string[], reason: string) =>
  (value: unknown): unknown =>
    harmless.includes(norm(value)) ? undefined : new Error(reason);

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
