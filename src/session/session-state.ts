/**
 * Book-keeping a factory reads when it commits a session. Kept apart from the data so that no
 * user key can shadow it.
 *
 * @internal
 */
export interface SessionState {
  /** A mutator or `changed()` ran since the last commit. */
  dirty: boolean;
  /**
   * Read since the last commit in a way that calls for a change check: an object or array value
   * was handed out (the caller may mutate it in place), or any read once `exposed` is set.
   * Reading a string, number, boolean or null from a session that handed out nothing does not set
   * it: such a read cannot change anything.
   */
  accessed: boolean;
  /**
   * Some object or array of the data is reachable from the caller: handed out by a read, or
   * stored by `set`/`update`/`flash` while the caller keeps it. Never reset on this request
   * (references outlive a commit).
   */
  exposed: boolean;
  /** `invalidate()` ran on this request. */
  invalidated: boolean;
  /** `regenerate()` ran on this request: the cookie must be re-issued. */
  regenerated: boolean;
  /** JSON of the data as loaded (or as last committed), for change detection. */
  baseline: string | undefined;
  /**
   * The baseline is `JSON.stringify(data)`, taken when the first reference is handed out (until
   * then only the session's own mutators, which mark it dirty, can change the data). A request
   * that reads only scalars never serialises the data for change detection.
   */
  baselinePending: boolean;
  /** `adjustTimeout(seconds)`: a per-session idle timeout. */
  timeout: number | undefined;
  /** `adjustExpires(epochSeconds)`: a fixed expiry for this session. */
  expires: number | undefined;
  /** `recookie()`: re-send the cookie on this response, with these overrides. */
  recookie: { maxAge?: number; expires?: Date } | undefined;
  /** Counts reads and changes, so a commit can tell whether any happened while it was in flight. */
  version: number;
  /** Set by the commit: the response carries this session's outcome already. */
  committed: boolean;
  /**
   * Set by the request's container: called when the session is read or changed after its
   * commit, to warn (and save nothing) if the response has left by then.
   */
  afterCommit: (() => void) | undefined;
  /**
   * Store operations started by `invalidate()`, `regenerate()` or `ensureId()` that the commit
   * has not waited for yet.
   */
  pending: Promise<unknown>[];
  /** The {@link SessionSlot} whose value `slotValue` is (the factory's own book-keeping). */
  slotOwner: object | undefined;
  slotValue: unknown;
}

/** @internal */
export function newSessionState(
  baseline: string | undefined,
  baselinePending = false,
): SessionState {
  return {
    dirty: false,
    accessed: false,
    exposed: false,
    invalidated: false,
    regenerated: false,
    baseline,
    baselinePending,
    timeout: undefined,
    expires: undefined,
    recookie: undefined,
    version: 0,
    committed: false,
    afterCommit: undefined,
    pending: [],
    slotOwner: undefined,
    slotValue: undefined,
  };
}

/**
 * The commit of this request is done: what the session holds now is what the response carries.
 * Later changes need another commit (the container's late check reports them).
 *
 * @internal
 */
export function settleCommit(state: SessionState): void {
  state.committed = true;
  state.dirty = false;
  state.accessed = false;
  state.invalidated = false;
  state.regenerated = false;
  state.recookie = undefined;
}

/**
 * The session's data was encoded for writing (a cookie or a store payload): that text is the new
 * baseline, and a change made after this moment is a new change. `baseline` undefined with
 * `pending` set means "take the baseline when a reference next leaves the session".
 *
 * @internal
 */
export function markWritten(
  state: SessionState,
  baseline: string | undefined,
  pending: boolean,
): void {
  state.dirty = false;
  state.regenerated = false;
  state.timeout = undefined;
  state.expires = undefined;
  state.baseline = baseline;
  state.baselinePending = pending;
}

/**
 * `invalidate()` ran: the data is gone, so pending changes and per-session timeouts go with it.
 *
 * @internal
 */
export function markInvalidated(state: SessionState): void {
  state.invalidated = true;
  state.dirty = false;
  state.timeout = undefined;
  state.expires = undefined;
}
