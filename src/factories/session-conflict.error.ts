import { SessionMultiError } from '../session/session-multi.error';

/** Why a write-back was refused. @publicApi */
export type SessionConflictReason = 'ended' | 'changed';

/**
 * A write-back was refused to keep the session's integrity: the record this request loaded was
 * deleted meanwhile (`'ended'`: logout, regenerate, revocation or expiry, never recreated), or
 * another request changed it in a way this one's `onConflict` does not accept (`'changed'`).
 * Nothing of this request's changes was written. The request layer answers 409.
 *
 * @publicApi
 */
export class SessionConflictError extends SessionMultiError {
  constructor(
    readonly namespace: string,
    readonly reason: SessionConflictReason,
    readonly keys: readonly string[] = [],
  ) {
    super(
      reason === 'ended'
        ? `Namespace "${namespace}": the session ended while this request was running (logged out, regenerated, revoked or expired), so its changes were not saved.`
        : `Namespace "${namespace}": another request changed the session while this one was running${keys.length > 0 ? ` (keys ${keys.map((k) => `"${k}"`).join(', ')})` : ''}, so this request's changes were not saved. Retry the request.`,
    );
  }
}
