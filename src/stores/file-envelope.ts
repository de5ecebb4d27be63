import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';

/**
 * What a {@link FileStore} file holds: the payload and its expiry, so a TTL set by one process is
 * honoured by every process sharing the directory. @internal
 */
export interface FileEnvelope {
  /** Epoch milliseconds after which the entry is gone; null = no expiry (purged by age only). */
  expires: number | null;
  value: string;
}

/** A file read back: its envelope (undefined when corrupt) and identity, to delete that very file. @internal */
export interface FileRead {
  envelope: FileEnvelope | undefined;
  ino: number;
  dev: number;
}

/** Files and directories are private to the process owner (Pesto: "not readable by other users"). @internal */
export const FILE_MODE = 0o600;
/** @internal */
export const DIRECTORY_MODE = 0o700;

/** @internal */
export function isErrno(error: unknown, code: string): boolean {
  // Duck-typed: errors from another realm (a VM context, as under Jest) fail `instanceof Error`.
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

/** Reads one file; undefined when it does not exist (ENOENT is "not found"). @internal */
export async function readEnvelope(path: string): Promise<FileRead | undefined> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(path, 'r');
  } catch (error) {
    if (isErrno(error, 'ENOENT')) {
      return undefined;
    }
    throw error;
  }
  try {
    // Reading through the open handle pins the inode: a concurrent rename shows us the old
    // file or the new one, never a mix.
    const stat = await handle.stat();
    const text = await handle.readFile('utf8');
    return { envelope: parseEnvelope(text), ino: stat.ino, dev: stat.dev };
  } finally {
    await handle.close();
  }
}

/** The envelope a file's text holds, or undefined when the text is not a well-formed one. @internal */
export function parseEnvelope(text: string): FileEnvelope | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof data !== 'object' || data === null) {
    return undefined;
  }
  const { expires, value } = data as Record<string, unknown>;
  const expiresOk = expires === null || (typeof expires === 'number' && Number.isFinite(expires));
  if (!expiresOk || typeof value !== 'string') {
    return undefined;
  }
  return { expires: expires, value };
}

/** The text of a file holding `envelope`. @internal */
export function formatEnvelope(envelope: FileEnvelope): string {
  return JSON.stringify(envelope);
}

/**
 * Writes an envelope to a new private temp file beside the target (same directory, so the final
 * rename or link is atomic). Returns the temp path; the caller moves or removes it. @internal
 */
export async function writeTemp(
  directory: string,
  fileName: string,
  envelope: FileEnvelope,
): Promise<string> {
  const temp = join(directory, `.${fileName}.${randomBytes(8).toString('hex')}.tmp`);
  await fs.writeFile(temp, formatEnvelope(envelope), { mode: FILE_MODE, flag: 'wx' });
  return temp;
}

/** Removes a file, ENOENT included (someone else removed it first). @internal */
export async function unlinkQuietly(path: string): Promise<void> {
  try {
    await fs.unlink(path);
  } catch (error) {
    if (!isErrno(error, 'ENOENT')) {
      throw error;
    }
  }
}

/**
 * Removes `path` only if it is still the file that was read, so a process that found a corrupt
 * or expired file never deletes the fresh one another process has just renamed into place.
 * @internal
 */
export async function unlinkIfSame(path: string, read: FileRead): Promise<boolean> {
  try {
    const stat = await fs.stat(path);
    if (stat.ino !== read.ino || stat.dev !== read.dev) {
      return false;
    }
    await fs.unlink(path);
    return true;
  } catch (error) {
    if (!isErrno(error, 'ENOENT')) {
      throw error;
    }
    return false;
  }
}
