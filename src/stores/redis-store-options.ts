import { optionNames, unknownStoreOptionProblem } from './option-names';
import { isIoredisClient, isNodeRedisClient } from './redis-commands';
import { replicasProblem } from './redis-replicas';
import type { RedisStoreOptions } from './redis.store';

/**
 * A Redis node address, for `sentinels` and `cluster` seeds.
 *
 * @publicApi
 */
export interface RedisNodeAddress {
  host: string;
  port: number;
}

/** The option fields the checks look at (kept free of ioredis types). */
interface CheckedOptions {
  client?: unknown;
  url?: unknown;
  host?: unknown;
  port?: unknown;
  db?: unknown;
  username?: unknown;
  password?: unknown;
  sentinels?: unknown;
  name?: unknown;
  cluster?: unknown;
  clusterOptions?: unknown;
  redisOptions?: unknown;
  prefix?: unknown;
  commandTimeout?: unknown;
  maxRetriesPerRequest?: unknown;
  replicas?: unknown;
}

/** Every option of RedisStore (the compiler keeps the list in step with the interface). */
const REDIS_STORE_OPTION_NAMES = optionNames<RedisStoreOptions>({
  client: true,
  url: true,
  host: true,
  port: true,
  db: true,
  username: true,
  password: true,
  sentinels: true,
  name: true,
  cluster: true,
  clusterOptions: true,
  redisOptions: true,
  prefix: true,
  commandTimeout: true,
  maxRetriesPerRequest: true,
  replicas: true,
});

const CONNECT_WAYS = 'client, url (or host/port), sentinels + name, or cluster';
const TARGETS = 'give url, host/port, sentinels + name, cluster nodes, or a client';

/**
 * The first thing wrong with RedisStore options, as a message (subject, rule, fix), or
 * undefined when they can work.
 *
 * @internal
 */
export function redisStoreProblem(given: CheckedOptions | undefined): string | undefined {
  if (given !== undefined && (typeof given !== 'object' || given === null)) {
    // Only the type: a URL passed in place of the options may hold a password.
    const type = given === null ? 'null' : `a ${typeof given}`;
    return `RedisStore: options are ${type}; pass an object such as { url: 'redis://127.0.0.1:6379' }.`;
  }
  const options = given ?? {};
  return (
    unknownStoreOptionProblem(options, REDIS_STORE_OPTION_NAMES, 'RedisStore') ??
    connectionProblem(options) ??
    addressListProblem('sentinels', options.sentinels) ??
    addressListProblem('cluster', options.cluster) ??
    numberProblem('commandTimeout', options.commandTimeout, 1) ??
    replicasProblem(options.replicas, (options.commandTimeout as number | undefined) ?? 1000) ??
    numberProblem('maxRetriesPerRequest', options.maxRetriesPerRequest, 0) ??
    numberProblem('port', options.port, 1, 65535) ??
    numberProblem('db', options.db, 0) ??
    (options.prefix !== undefined && typeof options.prefix !== 'string'
      ? `RedisStore: prefix ${describe(options.prefix)} is not a string. Pass a string such as 'session:'.`
      : undefined) ??
    targetProblem(options)
  );
}

function connectionProblem(o: CheckedOptions): string | undefined {
  const ways = [
    o.client !== undefined ? 'client' : undefined,
    o.url !== undefined || o.host !== undefined || o.port !== undefined
      ? 'url/host/port'
      : undefined,
    o.sentinels !== undefined ? 'sentinels' : undefined,
    o.cluster !== undefined ? 'cluster' : undefined,
  ].filter((way): way is string => way !== undefined);
  if (ways.length > 1) {
    return `RedisStore: options ${ways.map((w) => `"${w}"`).join(' and ')} were both given, but they are different ways to connect. Give only one of ${CONNECT_WAYS}.`;
  }
  if (o.client !== undefined && !isIoredisClient(o.client) && !isNodeRedisClient(o.client)) {
    return `RedisStore: client (${describeObject(o.client)}) is not a Redis client. Pass an ioredis Redis or Cluster, or a node-redis client from createClient(), createCluster() or createSentinel().`;
  }
  if (o.client !== undefined) {
    const ignored = ['db', 'username', 'password', 'redisOptions', 'clusterOptions'].find(
      (field) => o[field as keyof CheckedOptions] !== undefined,
    );
    if (ignored !== undefined) {
      return `RedisStore: option "${ignored}" has no effect on a client you pass in. Configure it on the client, or let the store open the connection.`;
    }
  }
  if (o.url !== undefined && (typeof o.url !== 'string' || o.url === '')) {
    return `RedisStore: url ${describe(o.url)} is not a connection URL. Pass a string such as 'redis://127.0.0.1:6379'.`;
  }
  if (o.sentinels !== undefined && (typeof o.name !== 'string' || o.name === '')) {
    return `RedisStore: sentinels were given without the master name. Set name to the name in "sentinel monitor <name> ..." (often 'mymaster').`;
  }
  if (o.name !== undefined && o.sentinels === undefined) {
    return `RedisStore: name ${describe(o.name)} is a Sentinel master name, but no sentinels were given. Add sentinels: [{ host, port }], or remove name.`;
  }
  if (o.cluster !== undefined && o.db !== undefined && o.db !== 0) {
    return `RedisStore: db ${describe(o.db)} cannot be used with cluster, which only has database 0. Use a distinct prefix instead.`;
  }
  if (o.clusterOptions !== undefined && o.cluster === undefined) {
    return `RedisStore: clusterOptions were given without cluster nodes. Add cluster: [{ host, port }], or remove clusterOptions.`;
  }
  return undefined;
}

/**
 * Refuses options that name no server, where ioredis would quietly connect to 127.0.0.1:6379: in
 * production that is the wrong server or none. A `host` alone names one (the port defaults to
 * 6379), and so does a `port` alone (a server on this machine) unless `url` or `host` is there but
 * undefined, which is what `url: process.env.REDIS_URL` gives when the variable is unset. A Unix
 * socket (`redisOptions.path`) or an address in `redisOptions` counts too.
 */
function targetProblem(o: CheckedOptions): string | undefined {
  if (o.host === '') {
    return `RedisStore: host "" is not a host name. Pass a host such as '127.0.0.1', or a url.`;
  }
  const nested = (o.redisOptions ?? {}) as { host?: unknown; port?: unknown; path?: unknown };
  const named = [o.client, o.url, o.host, o.sentinels, o.cluster, nested.host, nested.path];
  if (named.some((target) => target !== undefined)) {
    return undefined;
  }
  const unset = (['url', 'host', 'client', 'sentinels', 'cluster'] as const).filter(
    (field) => field in o,
  );
  const port = o.port ?? nested.port;
  if (unset.length === 0 && port !== undefined) {
    return undefined;
  }
  const given =
    unset.length > 0
      ? ` (${unset.map((field) => `${field} is undefined`).join(', ')}: is an environment variable unset?)`
      : '';
  const fallback = `127.0.0.1:${typeof port === 'number' ? port : 6379}`;
  return `RedisStore: no connection target${given}: ${TARGETS}. Without one, ioredis would connect to ${fallback}.`;
}

function addressListProblem(field: string, list: unknown): string | undefined {
  if (list === undefined) {
    return undefined;
  }
  const valid =
    Array.isArray(list) &&
    list.length > 0 &&
    list.every(
      (node: unknown) =>
        typeof node === 'object' &&
        node !== null &&
        typeof (node as RedisNodeAddress).host === 'string' &&
        Number.isInteger((node as RedisNodeAddress).port),
    );
  return valid
    ? undefined
    : `RedisStore: ${field} must be a non-empty list of { host, port } addresses. Pass e.g. ${field}: [{ host: '127.0.0.1', port: ${field === 'cluster' ? 7000 : 26379} }].`;
}

function numberProblem(
  field: string,
  value: unknown,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): string | undefined {
  if (
    value === undefined ||
    (Number.isInteger(value) && (value as number) >= min && (value as number) <= max)
  ) {
    return undefined;
  }
  const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `between ${min} and ${max}`;
  return `RedisStore: ${field} is ${describe(value)}; it must be an integer ${range}. Fix the ${field} option.`;
}

/** "a Foo instance", "a plain object", or the value itself for primitives. */
function describeObject(value: unknown): string {
  if (typeof value !== 'object' || value === null) {
    return describe(value);
  }
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== 'Object' ? `a ${name} instance` : 'a plain object';
}

function describe(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : String(value);
}
