import type { SessionState } from './session-state';

// What a read or a write of a session records in its SessionState: the flags the factory
// reads at commit to decide whether to compare payloads, write, or do nothing.

/**
 * A reference into the data leaves the session: change detection must compare at commit.
 * @internal
 */
export function markAccessed(state: SessionState, data: object): void {
  if (state.baselinePending) {
    // Before the caller can mutate anything: what the data is now is what was loaded or
    // committed, plus changes made through the mutators (which marked the session dirty).
    state.baselinePending = false;
    state.baseline = JSON.stringify(data);
  }
  state.accessed = true;
  state.exposed = true;
  noteLateChange(state);
}

/**
 * An object or array the caller passed in now lives in the data, and the caller still holds it:
 * a mutation through it after this request's write must be compared against what was written,
 * so the write takes its baseline at once instead of waiting for a reference to leave.
 * @internal
 */
export function markHeldByCaller(state: SessionState, value: unknown): void {
  if (typeof value === 'object' && value !== null) {
    state.exposed = true;
  }
}

/**
 * A read. It counts as an access when it hands out an object or array, or once any reference
 * into the data is out (`exposed`): a nested change made through that reference, say while a
 * write is in flight or after the response left, is then compared, committed again or reported,
 * as on every read. A session that never handed anything out reads scalars for free.
 * @internal
 */
export function markRead(state: SessionState, data: object, value: unknown): void {
  if (state.exposed || (typeof value === 'object' && value !== null)) {
    markAccessed(state, data);
  }
}

/** A read of several values at once (`values()`, `entries()`). @internal */
export function markReadAll(state: SessionState, data: object, values: unknown[]): void {
  if (state.exposed) {
    markAccessed(state, data);
    return;
  }
  for (const value of values) {
    if (typeof value === 'object' && value !== null) {
      markAccessed(state, data);
      return;
    }
  }
}

/** A mutator ran. @internal */
export function markDirty(state: SessionState): void {
  state.dirty = true;
  noteLateChange(state);
}

/**
 * Every change and every reference handed out: counted (a commit in flight then knows it must
 * not mark the session as saved), and reported once the session was committed (the container
 * checks whether the response already left).
 * @internal
 */
export function noteLateChange(state: SessionState): void {
  state.version++;
  if (state.committed) {
    state.afterCommit?.();
  }
}

/**
 * A store operation started by a session method. The caller may not await it (Pyramid's
 * `invalidate()` is synchronous): the commit waits for it and its failure becomes the
 * response's error, so it is never an unhandled rejection. Started after the session's commit
 * (in an exception filter, after `res.send()` is queued), it is a late change at once, so the
 * response waits for it before its headers go.
 * @internal
 */
export function trackOperation<R>(state: SessionState, operation: Promise<R>): Promise<R> {
  operation.catch(() => undefined);
  state.pending.push(operation);
  noteLateChange(state);
  return operation;
}
