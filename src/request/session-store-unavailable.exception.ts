import { ServiceUnavailableException } from '@nestjs/common';
import { SessionStoreError } from '../stores/session-store.error';

/**
 * The HTTP face of a {@link SessionStoreError}: `503 Service Unavailable`, with the store error as
 * `cause` (namespace, store and operation are in its message, which is logged, not sent).
 *
 * @publicApi
 */
export class SessionStoreUnavailableException extends ServiceUnavailableException {
  constructor(readonly storeError: SessionStoreError) {
    super(`Session store for namespace "${storeError.namespace}" is unavailable.`, {
      cause: storeError,
    });
  }
}

/** Maps store failures to 503; anything else passes through unchanged. @internal */
export function toHttpError(error: unknown): unknown {
  return error instanceof SessionStoreError ? new SessionStoreUnavailableException(error) : error;
}
