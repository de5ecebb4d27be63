import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { isErrno, unlinkIfSame } from './file-envelope';

const SESSION_FILE = /^[A-Za-z0-9_-]{43}\.session$/;
const TEMP_FILE = /^\.[A-Za-z0-9_-]{43}\.session\.[0-9a-f]+\.tmp$/;
/** A temp file older than this belongs to a write that crashed; writes take milliseconds. */
const STALE_TEMP_MS = 60_000;

/**
 * Removes the session files of a {@link FileStore} directory whose mtime is older than
 * `olderThanMs`, and temp files left by crashed writes. Files are handled one at a time, so a
 * large directory cannot exhaust file descriptors (session-file-store PR #15); other files in
 * the directory are never touched. Resolves with the number of session files removed.
 *
 * @internal
 */
export async function purgeDirectory(directory: string, olderThanMs: number): Promise<number> {
  let names: string[];
  try {
    names = await fs.readdir(directory);
  } catch (error) {
    if (isErrno(error, 'ENOENT')) {
      return 0;
    }
    throw error;
  }
  const now = Date.now();
  let removed = 0;
  for (const name of names) {
    const session = SESSION_FILE.test(name);
    if (!session && !TEMP_FILE.test(name)) {
      continue;
    }
    const path = join(directory, name);
    try {
      const stat = await fs.stat(path);
      if (now - stat.mtimeMs > (session ? olderThanMs : STALE_TEMP_MS)) {
        // A write or touch since the stat replaced the file (new inode): that one stays.
        const gone = await unlinkIfSame(path, {
          envelope: undefined,
          ino: stat.ino,
          dev: stat.dev,
        });
        removed += session && gone ? 1 : 0;
      }
    } catch (error) {
      if (!isErrno(error, 'ENOENT')) {
        throw error;
      }
    }
  }
  return removed;
}
