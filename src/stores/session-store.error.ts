import { SessionMultiError } from '../session/session-multi.error';

/**
 * A session store call failed (connection refused, deadline passed, server error). Names the
 * namespace, the store and the operation; the original error is kept as `cause`. In an HTTP
 * request it surfaces as `503 Service Unavailable` unless the namespace uses
 * `onStoreError: 'fail-open'`.
 *
 * @publicApi
 */
export class SessionStoreError extends SessionMultiError {
  constructor(
    readonly namespace: string,
    readonly store: string,
    readonly operation: string,
    cause: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      `Namespace "${namespace}": ${store}.${operation}() failed: ${reason}. Check that the store is reachable, or set onStoreError: 'fail-open' to serve an empty session instead.`,
      { cause },
    );
  }
}
