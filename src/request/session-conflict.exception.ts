import { ConflictException } from '@nestjs/common';
import type { SessionConflictError } from '../factories/session-conflict.error';

/**
 * The HTTP face of a {@link SessionConflictError}: `409 Conflict`. The session ended while the
 * request ran, or another request changed it in a way the namespace's `onConflict` refuses;
 * nothing of this request's changes was saved, and the client may retry.
 *
 * @publicApi
 */
export class SessionConflictException extends ConflictException {
  constructor(readonly conflict: SessionConflictError) {
    super(
      conflict.reason === 'ended'
        ? `The session for namespace "${conflict.namespace}" ended while this request was running.`
        : `The session for namespace "${conflict.namespace}" was changed by another request.`,
      { cause: conflict },
    );
  }
}
