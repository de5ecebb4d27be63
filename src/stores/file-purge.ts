import { promises as fs, type Stats } from 'node:fs';
import { join } from 'node:path';
import { walkDirectory } from './directory-walk';
import { isErrno, unlinkQuietly } from './file-envelope';

const SESSION_FILE = /^[A-Za-z0-9_-]{43}\.session$/;
const TEMP_FILE = /^\.[A-Za-z0-9_-]{43}\.session\.[0-9a-f]+\.tmp$/;
/** A temp file older than this belongs to a write that crashed; writes take milliseconds. */
const STALE_TEMP_MS = 60_000;

/** Session files in a directory, counted from their names (no file is opened). @internal */
export async function countSessionFiles(directory: string): Promise<number> {
  let count = 0;
  await walkDirectory(directory, (name) => {
    count += SESSION_FILE.test(name) ? 1 : 0;
  });
  return count;
}

/** Removes every session file of a directory, in batches as a purge does. @internal */
export async function removeSessionFiles(directory: string): Promise<void> {
  await walkDirectory(directory, async (name) => {
    if (SESSION_FILE.test(name)) {
      await unlinkQuietly(join(directory, name));
    }
  });
}

/**
 * Removes the session files of a {@link FileStore} directory whose mtime is older than
 * `olderThanMs`, and temp files left by crashed writes. The directory is walked in small batches
 * with two files in hand at a time and a turn of the event loop between batches, so a purge of
 * 100k files neither exhausts file descriptors (session-file-store PR #15) nor holds up the
 * requests running beside it. Other files in the directory are never touched. Resolves with the
 * number of session files removed.
 *
 * @internal
 */
export async function purgeDirectory(directory: string, olderThanMs: number): Promise<number> {
  const now = Date.now();
  let removed = 0;
  await walkDirectory(directory, async (name) => {
    const session = SESSION_FILE.test(name);
    if (!session && !TEMP_FILE.test(name)) {
      return;
    }
    const path = join(directory, name);
    try {
      const stat = await fs.stat(path);
      if (now - stat.mtimeMs > (session ? olderThanMs : STALE_TEMP_MS)) {
        const gone = await unlinkIfUnchanged(path, stat);
        removed += session && gone ? 1 : 0;
      }
    } catch (error) {
      if (!isErrno(error, 'ENOENT')) {
        throw error;
      }
    }
  });
  return removed;
}

/**
 * Removes `path` only if it is still the file that was found idle: a write since then renamed a
 * new file over it (another inode), a touch rewrote it in place (a later mtime); either stays.
 */
async function unlinkIfUnchanged(path: string, seen: Stats): Promise<boolean> {
  const stat = await fs.stat(path);
  if (stat.ino !== seen.ino || stat.dev !== seen.dev || stat.mtimeMs !== seen.mtimeMs) {
    return false;
  }
  await unlinkQuietly(path);
  return true;
}

/**
 * Calls `purge` every `everySeconds` in the background, one run at a time, and hands a failure to
 * `onError`. The timer never keeps the process alive. Returns the function that stops it.
 * @internal
 */
export function startAutoPurge(
  everySeconds: number,
  purge: () => Promise<unknown>,
  onError: (error: unknown) => void,
): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) {
      return;
    }
    running = true;
    void purge()
      .then(
        () => undefined,
        (error: unknown) => {
          try {
            onError(error);
          } catch {
            // A failing error callback must not become an unhandled rejection.
          }
        },
      )
      .finally(() => {
        running = false;
      });
  }, everySeconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
