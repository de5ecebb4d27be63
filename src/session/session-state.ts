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
  /** Factory-private data (e.g. the server id, the loaded payload's expiry). */
  extra: Record<string, unknown>;
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
    extra: {},
  };
}
