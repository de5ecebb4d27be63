import { promises as fs } from 'node:fs';
import { sep } from 'node:path';
import {
  isErrno,
  readEnvelope,
  unlinkIfSame,
  unlinkQuietly,
  writeTemp,
  type FileEnvelope,
  type FileRead,
} from './file-envelope';
import { isExpired } from './store-ttl';

// One session file of a FileStore: read only while live, replaced atomically, created
// only where none lives. The directory is the store's; it must exist before a write.

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
