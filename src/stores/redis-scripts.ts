import { createHash } from 'node:crypto';

/**
 * A Lua script the store runs by `EVALSHA`, with its source for `EVAL` when a server has not
 * cached it yet (a restart, a failover to a replica, another Cluster node).
 * @internal
 */
export interface RedisScript {
  readonly source: string;
  /** Lowercase hex SHA-1 of `source`, the name `EVALSHA` uses. */
  readonly sha: string;
}

function script(source: string): RedisScript {
  return { source, sha: createHash('sha1').update(source, 'utf8').digest('hex') };
}

/**
 * Conditional write of one key. ARGV: value, fingerprint of the payload the caller read, the
 * TTL (whole seconds, '' for no expiry, or '0' to delete: a TTL that already ran out), and on a
 * retry after a failover '1', which also takes the value itself as a match (the first attempt
 * may have written it): it is written again, so it replicates again, and is never applied on
 * top of a newer write. Replies `{1}` written, `{0}` missing, `{2, current}` conflict. GET,
 * compare and write run as one step on the server, so no other client's write can fall between
 * them.
 * @internal
 */
export const REPLACE_SCRIPT = script(`
local current = redis.call('GET', KEYS[1])
if not current then
  return {0}
end
if redis.sha1hex(current) ~= ARGV[2] and (ARGV[4] ~= '1' or current ~= ARGV[1]) then
  return {2, current}
end
if ARGV[3] == '0' then
  redis.call('DEL', KEYS[1])
elseif ARGV[3] == '' then
  redis.call('SET', KEYS[1], ARGV[1])
else
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3])
end
return {1}
`);

/**
 * Adds ARGV[2] to the set KEYS[1]. ARGV[1] is a TTL in whole seconds that may lengthen the
 * set's lifetime but never shorten it, or '' to keep the set forever (a member without expiry
 * outlives any TTL). A set created by this call takes the TTL as is.
 * @internal
 */
export const INDEX_ADD_SCRIPT = script(`
local existed = redis.call('EXISTS', KEYS[1])
redis.call('SADD', KEYS[1], ARGV[2])
if ARGV[1] == '' then
  redis.call('PERSIST', KEYS[1])
  return 1
end
local ttl = tonumber(ARGV[1])
local left = redis.call('TTL', KEYS[1])
if existed == 0 or (left >= 0 and left < ttl) then
  redis.call('EXPIRE', KEYS[1], ttl)
end
return 1
`);

/** True for the error a server gives to `EVALSHA` of a script it has not cached. @internal */
export function isNoScript(error: unknown): boolean {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' && message.startsWith('NOSCRIPT');
}

/**
 * Runs `send(false)` (EVALSHA), and on NOSCRIPT once more with `send(true)` (EVAL, which also
 * caches the script on that server). In a Cluster each node answers for itself, so every node
 * is loaded the first time a key of its slots is written.
 * @internal
 */
export async function withScriptFallback<T>(send: (withSource: boolean) => Promise<T>): Promise<T> {
  try {
    return await send(false);
  } catch (error) {
    if (!isNoScript(error)) {
      throw error;
    }
    return send(true);
  }
}
