import { promises as fs } from 'node:fs';
import { sep } from 'node:path';
import {
  formatEnvelope,
  isErrno,
  parseEnvelope,
  readEnvelope,
  unlinkIfSame,
  unlinkQuietly,
  writeTemp,
  type FileEnvelope,
  type FileRead,
} from './file-envelope';
import { isExpired } from './store-ttl';

// One session file of a FileStore: read only while live, replaced atomically, created
// only where none lives, its expiry refreshed in place. The directory is the store's; it must
// exist before a write.

/** `createEntry` retries when it keeps finding expired files replaced under it. */
const CREATE_ATTEMPTS = 5;

/** A live file's envelope, with the identity of the file it came from. @internal */
export interface LiveEntry {
  envelope: FileEnvelope;
  read: FileRead;
}

/** The unexpired, well-formed content of a file; corrupt and expired files are removed. @internal */
export async function readLiveEntry(path: string): Promise<LiveEntry | undefined> {
  const read = await readEnvelope(path);
  if (read === undefined) {
    return undefined;
  }
  if (read.envelope === undefined || isExpired(read.envelope.expires)) {
    await unlinkIfSame(path, read);
    return undefined;
  }
  return { envelope: read.envelope, read };
}

/**
 * Writes a temp file and renames it over `path`, so readers see the old or the new payload,
 * never a partial one. @internal
 */
export async function writeEntry(
  directory: string,
  path: string,
  envelope: FileEnvelope,
): Promise<void> {
  const temp = await writeTemp(directory, fileNameOf(path), envelope);
  try {
    await fs.rename(temp, path);
  } catch (error) {
    await unlinkQuietly(temp);
    throw error;
  }
}

/**
 * What {@link refreshEntry} did: `refreshed` in place; `gone` (removed since it was read) or
 * `replaced` (another write renamed a new file over it), both left as they are; `resized` (the
 * new expiry does not fit the old bytes), nothing written. @internal
 */
export type RefreshOutcome = 'refreshed' | 'gone' | 'replaced' | 'resized';

/**
 * Moves the expiry of the very file `live` was read from, in place through a handle, so a
 * refresh never recreates a file another process has just removed (a rename would). The new
 * envelope is written only when it has the byte length of the old one (the usual case: the value
 * is the same and both expiries are 13-digit epoch milliseconds), at offset 0 in one positional
 * write, so a concurrent reader sees bytes that differ only inside the digits of `expires` and
 * still parse. The write also moves the mtime that purges measure.
 * @internal
 */
export async function refreshEntry(
  path: string,
  live: LiveEntry,
  expires: number | null,
): Promise<RefreshOutcome> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(path, 'r+');
  } catch (error) {
    if (isErrno(error, 'ENOENT')) {
      return 'gone';
    }
    throw error;
  }
  try {
    // The open handle pins the inode, so the checks below and the write see one file.
    const stat = await handle.stat();
    if (stat.ino !== live.read.ino || stat.dev !== live.read.dev) {
      return 'replaced';
    }
    const current = await handle.readFile();
    if (parseEnvelope(current.toString('utf8'))?.value !== live.envelope.value) {
      return 'replaced'; // an inode number reused by a newer file: its payload stands
    }
    const next = Buffer.from(formatEnvelope({ expires, value: live.envelope.value }), 'utf8');
    if (next.length !== current.length) {
      return 'resized';
    }
    let offset = 0;
    while (offset < next.length) {
      const { bytesWritten } = await handle.write(next, offset, next.length - offset, offset);
      offset += bytesWritten;
    }
    return 'refreshed';
  } finally {
    await handle.close();
  }
}

/**
 * Creates the file only if no live one exists. `link()` fails with EEXIST instead of replacing,
 * which makes the check and the create one atomic step across processes.
 * @internal
 */
export async function createEntry(
  directory: string,
  path: string,
  envelope: FileEnvelope,
): Promise<boolean> {
  const temp = await writeTemp(directory, fileNameOf(path), envelope);
  try {
    for (let attempt = 0; attempt < CREATE_ATTEMPTS; attempt++) {
      try {
        await fs.link(temp, path);
        return true;
      } catch (error) {
        if (!isErrno(error, 'EEXIST')) {
          throw error;
        }
      }
      // Something is there: a live entry wins; an expired or corrupt one is removed and we retry.
      if ((await readLiveEntry(path)) !== undefined) {
        return false;
      }
    }
    return false;
  } finally {
    await unlinkQuietly(temp);
  }
}

function fileNameOf(path: string): string {
  return path.slice(path.lastIndexOf(sep) + 1);
}
