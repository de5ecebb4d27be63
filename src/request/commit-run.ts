import type { Logger } from '@nestjs/common';
import type { NamespacedSession } from '../session/session';
import { settleCommit } from '../session/session-state';
import { ResponseCommitContext } from './commit-context';
import type { NamespaceDirectory } from './namespace-directory';
import type { SessionContainer } from './session-container';
import { toHttpError } from './session-store-unavailable.exception';

/** True when a mounted session has something the response may need to carry. @internal */
export function needsCommit(
  mounted: ReadonlyMap<string, NamespacedSession | null>,
  operations: readonly Promise<unknown>[],
): boolean {
  if (operations.length > 0) {
    return true;
  }
  for (const session of mounted.values()) {
    if (session === null) {
      continue;
    }
    const s = session.state;
    if (
      !s.committed ||
      s.dirty ||
      s.accessed ||
      s.invalidated ||
      s.regenerated ||
      s.recookie ||
      s.pending.length > 0
    ) {
      return true;
    }
  }
  return false;
}

/**
 * Commits every mounted session, after the session methods the handler did not await (their
 * store calls decide what there is to commit; a failed one makes the commit fail with it once
 * the rest is committed). Returns a promise only while store calls are in flight; throws what a
 * synchronous commit threw, after the other namespaces committed.
 *
 * @internal
 */
export function commitMounted(
  container: SessionContainer,
  registry: NamespaceDirectory,
  mounted: ReadonlyMap<string, NamespacedSession | null>,
  operations: Promise<unknown>[],
  exception: boolean,
  logger: Logger,
): Promise<void> | undefined {
  const taken = takeOperations(mounted, operations);
  if (taken !== undefined) {
    // A session method not awaited by the handler: its store call decides what to commit.
    return Promise.allSettled(taken).then((results) => {
      const failed = results.find((r) => r.status === 'rejected');
      const rest = commitMounted(container, registry, mounted, operations, exception, logger);
      if (failed !== undefined) {
        const error = toHttpError(failed.reason);
        return rest === undefined ? Promise.reject(error) : rest.then(() => Promise.reject(error));
      }
      return rest;
    });
  }
  let work: Promise<void>[] | undefined;
  let failed = false;
  let failure: unknown;
  for (const [ns, session] of mounted) {
    if (session === null) {
      continue;
    }
    try {
      const result = commitOne(container, registry, ns, session, exception, logger);
      if (result !== undefined) {
        (work ??= []).push(result);
      }
    } catch (error) {
      // The other namespaces still commit (their cookies go out with the error response).
      if (!failed) {
        failed = true;
        failure = error;
      }
    }
  }
  if (work === undefined) {
    if (failed) {
      throw failure;
    }
    return undefined;
  }
  if (work.length === 1 && !failed) {
    return work[0];
  }
  const all = Promise.all(work);
  return failed
    ? all.then(() => {
        throw failure;
      })
    : all.then(() => undefined);
}

/** Operations started on this request that no commit has waited for yet, taken once. */
function takeOperations(
  mounted: ReadonlyMap<string, NamespacedSession | null>,
  operations: Promise<unknown>[],
): Promise<unknown>[] | undefined {
  let taken: Promise<unknown>[] | undefined;
  if (operations.length > 0) {
    taken = operations.splice(0);
  }
  for (const session of mounted.values()) {
    if (session !== null && session.state.pending.length > 0) {
      (taken ??= []).push(...session.state.pending.splice(0));
    }
  }
  return taken;
}

/**
 * Commits one mounted session: its factory decides (write, refresh, re-issue, clear, nothing).
 * Returns a promise only while store calls are in flight; throws what a synchronous commit threw,
 * as an HTTP error. Either way the session's commit state is settled once.
 *
 * @internal
 */
function commitOne(
  container: SessionContainer,
  registry: NamespaceDirectory,
  ns: string,
  session: NamespacedSession,
  exception: boolean,
  logger: Logger,
): Promise<void> | undefined {
  const factory = registry.factory(ns)!;
  const ctx = new ResponseCommitContext(
    ns,
    container.req,
    container.res,
    exception,
    logger,
    container.pendingHeaders,
  );
  let result: void | Promise<void>;
  const observer = registry.observer;
  try {
    result =
      observer === undefined
        ? factory.commit(session, ctx)
        : observer.commit(container, ns, session, () => factory.commit(session, ctx));
  } catch (error) {
    // One attempt per request: the error response that follows must not run (and wait on) the
    // same failing commit again through the response gate.
    settleCommit(session.state);
    throw toHttpError(error);
  }
  if (!isPromiseLike(result)) {
    settleCommit(session.state);
    return undefined;
  }
  // A read or change while the store call is in flight is not part of this commit: the session
  // is then marked committed but keeps its flags, so the response gate commits it again before
  // the headers go (or the late check reports it).
  const version = session.state.version;
  return Promise.resolve(result).then(
    () => {
      if (session.state.version === version) {
        settleCommit(session.state);
      } else {
        session.state.committed = true;
      }
    },
    (error: unknown) => {
      settleCommit(session.state);
      throw toHttpError(error);
    },
  );
}

function isPromiseLike<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | undefined)?.then === 'function';
}
