import { SessionMultiError } from '../session/session-multi.error';

/**
 * A store call got no answer within the store's deadline (`commandTimeout`). Raised by
 * {@link RedisStore} when the client itself did not give up in time (a Cluster still
 * discovering its nodes, a passed-in client without `commandTimeout`), so no call can hang a
 * request.
 *
 * @publicApi
 */
export class StoreTimeoutError extends SessionMultiError {
  constructor(
    readonly store: string,
    readonly operation: string,
    readonly timeoutMs: number,
  ) {
    super(
      `${store}.${operation}() got no reply within ${timeoutMs} ms (commandTimeout). Check that the server is reachable, or raise commandTimeout.`,
    );
  }
}
