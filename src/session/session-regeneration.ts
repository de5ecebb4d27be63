import { markDirty } from './change-tracking';
import type { PreparedRegeneration } from './session-backend.interface';
import type { NamespacedSession } from './session';

/**
 * The first half of `session.regenerate()`, for `regenerateAll()`: marks the session regenerated
 * and writes the new record through the backend. Aborting puts the flags back as they were, so a
 * failure in another namespace leaves this one untouched.
 *
 * @internal
 */
export function prepareRegeneration(session: NamespacedSession): Promise<PreparedRegeneration> {
  const state = session.state;
  const flags = { regenerated: state.regenerated, dirty: state.dirty };
  state.regenerated = true;
  markDirty(state);
  const backend = session.backend;
  const prepare =
    backend.prepareRegenerate?.(session) ??
    Promise.resolve({
      finish: () => backend.regenerate(session),
      abort: () => Promise.resolve(),
    });
  return prepare.then(
    (prepared) => ({
      finish: () => prepared.finish(),
      abort: () => {
        Object.assign(state, flags);
        return prepared.abort();
      },
    }),
    (error: unknown) => {
      Object.assign(state, flags);
      throw error;
    },
  );
}
