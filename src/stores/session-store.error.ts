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
    // Read the message by shape: errors from another realm (a client library loaded outside a test
    // sandbox, a worker) fail instanceof Error but still carry a message.
    const message = (cause as { message?: unknown } | null)?.message;
    const reason = typeof message === 'string' ? message : String(cause);
    super(
      `Namespace "${namespace}": ${store}.${operation}() failed: ${reason}. Check that the store is reachable, or set onStoreError: 'fail-open' to serve an empty session instead.`,
      { cause },
    );
  }
}
