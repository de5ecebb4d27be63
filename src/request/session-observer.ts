import type { NamespacedSession } from '../session/session';
import type { SessionContainer } from './session-container';

/**
 * Watches a request's sessions without changing them: told when a namespace is mounted and
 * around each commit. The debug panel installs one on the registry; without it the request path
 * pays one undefined check per mount and per commit.
 *
 * @internal
 */
export interface SessionObserver {
  /** A namespace was mounted: its session as loaded, or null when its discriminator said no. */
  mounted(container: SessionContainer, namespace: string, session: NamespacedSession | null): void;
  /**
   * Runs one commit of a mounted session (`run` calls the factory) and returns what it returned
   * or throws what it threw, unchanged.
   */
  commit(
    container: SessionContainer,
    namespace: string,
    session: NamespacedSession,
    run: () => void | Promise<void>,
  ): void | Promise<void>;
}
