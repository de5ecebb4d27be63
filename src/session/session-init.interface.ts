import type { SessionBackend } from './session-backend.interface';

/**
 * What a factory passes to `new NamespacedSession(init)` when it loads a session.
 *
 * @publicApi
 */
export interface SessionInit {
  /** The namespace the factory was asked to load (`LoadContext.namespace`). */
  namespace: string;
  /** The session's data: a plain object of JSON values, owned by the session from now on. */
  data: Record<string, unknown>;
  /** Creation time, in epoch seconds. */
  created: number;
  /** True when the request brought no valid session. */
  isNew: boolean;
  /** Where `invalidate()`, `regenerate()` and `ensureId()` go. */
  backend: SessionBackend;
  /** The loaded payload's text, when the factory keeps one for change detection. */
  baseline: string | undefined;
  /**
   * No baseline yet: take `JSON.stringify(data)` when the first reference into the data is handed
   * out (server-side factories with change detection).
   */
  baselinePending?: boolean;
}
