import { ServiceUnavailableException } from '@nestjs/common';
import { SessionConflictError } from '../factories/session-conflict.error';
import { SessionStoreError } from '../stores/session-store.error';
import { SessionConflictException } from './session-conflict.exception';
import { SessionRedirect } from '../factories/transports/session-redirect.error';
import { SessionRedirectException } from './session-redirect.exception';

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

/**
 * Maps store failures to 503, refused write-backs to 409 and query-transport redirects to 303;
 * anything else passes through. @internal
 */
export function toHttpError(error: unknown): unknown {
  if (error instanceof SessionStoreError) {
    return new SessionStoreUnavailableException(error);
  }
  if (error instanceof SessionConflictError) {
    return new SessionConflictException(error);
  }
  if (error instanceof SessionRedirect) {
    return new SessionRedirectException(error);
  }
  return error;
}
