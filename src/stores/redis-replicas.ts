import type { ReplicaWait } from './redis-commands';

/**
 * `replicas` of {@link RedisStoreOptions}: how many replicas must confirm each session write
 * (set, replace, delete) before it counts as done, and how long to wait for them.
 * @publicApi
 */
export interface RedisReplicasOption {
  /** Replicas that must confirm the write (`WAIT min ...`), at least 1. */
  min: number;
  /** Milliseconds to wait for them, at least 1 and below `commandTimeout`. */
  timeoutMs: number;
}

/** What the store uses with Sentinel when `replicas` is not given. @internal */
export const DEFAULT_SENTINEL_REPLICAS: ReplicaWait = { min: 1, timeoutMs: 50 };

const EXAMPLE = 'replicas: { min: 1, timeoutMs: 50 }';

/**
 * What is wrong with a `replicas` option, as a message, or undefined when it can work.
 * @internal
 */
export function replicasProblem(value: unknown, commandTimeout: number): string | undefined {
  if (value === undefined || value === false) {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const type = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
    const shown =
      typeof value === 'string' ? `"${value}"` : (JSON.stringify(value) ?? typeof value);
    return `RedisStore: replicas is ${type} (${shown}); it must be false or { min, timeoutMs }. Pass e.g. ${EXAMPLE}, or replicas: false.`;
  }
  const { min, timeoutMs } = value as Record<string, unknown>;
  if (!Number.isInteger(min) || (min as number) < 1) {
    return `RedisStore: replicas.min is ${typeof min} (${String(min)}); it must be a whole number of at least 1. Pass e.g. ${EXAMPLE}.`;
  }
  if (!Number.isInteger(timeoutMs) || (timeoutMs as number) < 1) {
    return `RedisStore: replicas.timeoutMs is ${typeof timeoutMs} (${String(timeoutMs)}); it must be a whole number of milliseconds of at least 1 (WAIT 0 would wait forever). Pass e.g. ${EXAMPLE}.`;
  }
  if ((timeoutMs as number) >= commandTimeout) {
    return `RedisStore: replicas.timeoutMs is ${String(timeoutMs)} ms but commandTimeout is ${commandTimeout} ms; the wait must end before the deadline. Lower replicas.timeoutMs or raise commandTimeout.`;
  }
  return undefined;
}

/**
 * The wait the store asks after writes: the option as given, the default when Sentinel is in
 * use (a failover promotes a replica, so only what reached one survives it), or none.
 * @internal
 */
export function replicaWaitFor(
  value: RedisReplicasOption | false | undefined,
  usesSentinel: boolean,
): ReplicaWait | undefined {
  if (value === false) {
    return undefined;
  }
  if (value === undefined) {
    return usesSentinel ? DEFAULT_SENTINEL_REPLICAS : undefined;
  }
  return { min: value.min, timeoutMs: value.timeoutMs };
}
