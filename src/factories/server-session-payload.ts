import type { NamespacedSession } from '../session/session';
import { markWritten } from '../session/session-state';
import type { SessionSerializer } from '../session/serializer';
import { encodePayload, PAYLOAD_VERSION } from '../stores/payload-serializer';
import { SessionStoreError } from '../stores/session-store.error';
import type { SessionStore } from '../stores/session-store.interface';
import type { OutageLog } from './outage-log';
import { serverState, type ServerSessionState } from './server-session-backend';
import { nowSeconds } from './server-session-time';

/** The stored payload of a session: data, creation, version, timeout, expiry, owner. @internal */
export function encodeSession(
  session: NamespacedSession,
  x: number | undefined,
  serializer: SessionSerializer,
): string {
  const state = serverState(session);
  const t = session.state.timeout ?? state.timeout;
  const o = state.owner;
  return encodePayload(
    {
      m: session.dataToWrite(),
      c: session.created,
      v: PAYLOAD_VERSION,
      t,
      x,
      o,
      w: o === undefined ? undefined : nowSeconds(),
    },
    serializer,
  );
}

/**
 * As the payload is encoded, before the store call: what is being written becomes the baseline
 * and the TTL counts as fresh. Done synchronously, so a change made while the write is in flight
 * is seen as a new change (and never cleared by the write's completion). A failed write fails
 * the commit, and the session is not committed again on that request.
 *
 * @internal
 */
export function markSessionWritten(
  session: NamespacedSession,
  state: ServerSessionState,
  x: number | undefined,
  detectChanges: boolean,
): void {
  const s = session.state;
  state.timeout = s.timeout ?? state.timeout;
  state.expires = x;
  state.ttlFresh = true;
  // References handed out earlier on this request stay live: compare against what is written.
  // Otherwise the baseline waits until a reference leaves the session (often never).
  markWritten(
    s,
    detectChanges && s.exposed ? JSON.stringify(session.peekData()) : undefined,
    detectChanges && !s.exposed,
  );
}

/** Runs one store call; a failure (thrown or rejected) becomes a `SessionStoreError`. @internal */
export function storeCall<T>(
  store: SessionStore,
  outage: OutageLog,
  namespace: string,
  operation: string,
  run: () => Promise<T>,
): Promise<T> {
  const failed = (cause: unknown): SessionStoreError =>
    new SessionStoreError(namespace, store.name, operation, cause);
  let pending: Promise<T>;
  try {
    pending = run();
  } catch (cause) {
    outage.failed(namespace, operation, cause);
    return Promise.reject(failed(cause));
  }
  // Promise.resolve: a custom store may return a plain value or a bare thenable.
  return Promise.resolve(pending).then(
    (value) => {
      outage.succeeded(namespace);
      return value;
    },
    (cause: unknown) => {
      outage.failed(namespace, operation, cause);
      throw failed(cause);
    },
  );
}
