import { SessionMultiError } from '../session/session-multi.error';

/**
 * A write reached the Redis master but fewer replicas than `replicas.min` confirmed it within
 * `replicas.timeoutMs`, so it is not acknowledged: a failover now could lose it. The factory
 * reports it like any failed store call.
 *
 * @publicApi
 */
export class InsufficientReplicasError extends SessionMultiError {
  constructor(
    readonly store: string,
    readonly operation: string,
    readonly wanted: number,
    readonly confirmed: number,
    readonly timeoutMs: number,
  ) {
    super(
      `${store}.${operation}() was confirmed by ${confirmed} of ${wanted} wanted replicas within ${timeoutMs} ms (replicas.min); the write is not acknowledged. Check the replicas' link to the master, or lower replicas.min.`,
    );
  }
}

/**
 * A write reached the Redis master while Sentinel was promoting a replica in its place: a
 * replica that confirmed it may be resynchronised from the promoted one, so it is not
 * acknowledged. The store sends it again to the new master while `commandTimeout` lasts.
 *
 * @publicApi
 */
export class FailoverInProgressError extends SessionMultiError {
  constructor(
    readonly store: string,
    readonly operation: string,
  ) {
    super(
      `${store}.${operation}() reached the master while Sentinel was promoting a replica in its place; the write is not acknowledged.`,
    );
  }
}
