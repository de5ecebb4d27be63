import { promises as fs } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import {
  DIRECTORY_MODE,
  isErrno,
  unlinkIfSame,
  unlinkQuietly,
  type FileEnvelope,
} from './file-envelope';
import { createEntry, readLiveEntry, refreshEntry, writeEntry, type LiveEntry } from './file-entry';
import {
  countSessionFiles,
  purgeDirectory,
  removeSessionFiles,
  startAutoPurge,
} from './file-purge';
import { checkFileStoreOptions, seconds, type FileStoreOptions } from './file-store-options';
import { KeyQueue } from './key-queue';
import { payloadFingerprint } from './payload-fingerprint';
import { InvalidStoreKeyError } from './invalid-store-key.error';
import type {
  ReplaceResult,
  SessionStore,
  StoreReplaceOptions,
  StoreSetOptions,
} from './session-store.interface';
import { STORE_KEY_SHAPE } from './store-key';
import { assertTtl, expiryOf } from './store-ttl';

// The options live beside their checks; the public barrel takes them from here with the store.
export type { FileStoreOptions } from './file-store-options';

/**
 * Keeps each session in its own file (Pesto's file backend): survives restarts and can be
 * shared by several processes on one machine. Writes go to a temp file that is renamed over the
 * target, so readers see the old or the new payload, never a partial one; `onlyIfAbsent` uses
 * `link()`, which refuses to replace an existing file, so two processes cannot both create one
 * session; `touch()` rewrites the expiry in place, so it never recreates a session another
 * process deleted. Expiry is stored in the file; corrupt files are treated as absent and removed.
 * A directory removed while the store runs is created again by the next write.
 *
 * @example
 * ```ts
 * new ServerSessionFactory({
 *   secret, cookieName: 'auth',
 *   store: new FileStore({ directory: join(tmpdir(), 'my-app-sessions'), autoPurgeOlderThan: 3600 }),
 * });
 * ```
 * @publicApi
 */
export class FileStore implements SessionStore {
  readonly name = 'FileStore';
  readonly directory: string;
  readonly autoPurgeEvery: number;
  readonly autoPurgeOlderThan: number;
  private directoryReady: Promise<void> | undefined;
  private stopAutoPurge: (() => void) | undefined;
  /** Operations on one key run one after another within this process. */
  private readonly queue = new KeyQueue();

  constructor(options: FileStoreOptions) {
    checkFileStoreOptions(options);
    this.directory = resolve(options.directory);
    this.autoPurgeEvery = seconds(options.autoPurgeEvery, 60, 'autoPurgeEvery', 0);
    this.autoPurgeOlderThan = seconds(options.autoPurgeOlderThan, 1800, 'autoPurgeOlderThan', 1);
    if (this.autoPurgeEvery > 0) {
      this.stopAutoPurge = startAutoPurge(
        this.autoPurgeEvery,
        () => this.purge(),
        options.onPurgeError ?? (() => undefined),
      );
    }
  }

  async get(key: string): Promise<string | undefined> {
    const path = this.pathOf(key);
    return await this.queue.run(key, async () => (await readLiveEntry(path))?.envelope.value);
  }

  async getAndTouch(key: string, ttl: number): Promise<string | undefined> {
    assertTtl(ttl);
    const path = this.pathOf(key);
    return await this.queue.run(key, async () => {
      const live = await readLiveEntry(path);
      if (live === undefined) {
        return undefined;
      }
      if (ttl <= 0) {
        await unlinkIfSame(path, live.read);
        return undefined;
      }
      // Read before any delete that now wins, so the value is still this call's answer.
      await this.refresh(path, live, expiryOf(ttl));
      return live.envelope.value;
    });
  }

  async set(key: string, value: string, options: StoreSetOptions = {}): Promise<boolean> {
    const { ttl, onlyIfAbsent = false, onlyIfPresent = false } = options;
    if (ttl !== undefined) {
      assertTtl(ttl);
    }
    const path = this.pathOf(key);
    return await this.queue.run(key, async () => {
      const present = onlyIfPresent ? await readLiveEntry(path) : undefined;
      if (onlyIfPresent && present === undefined) {
        return false;
      }
      if (ttl !== undefined && ttl <= 0) {
        // Already expired: nothing is written; without onlyIfAbsent the old entry goes.
        if (onlyIfAbsent) {
          return (await readLiveEntry(path)) === undefined;
        }
        await unlinkQuietly(path);
        return true;
      }
      const envelope = { expires: expiryOf(ttl), value };
      if (onlyIfAbsent) {
        return this.create(path, envelope);
      }
      if (present !== undefined) {
        return this.rewrite(path, envelope);
      }
      await this.writeAtomically(path, envelope);
      return true;
    });
  }

  async touch(key: string, ttl: number): Promise<void> {
    assertTtl(ttl);
    const path = this.pathOf(key);
    return await this.queue.run(key, async () => {
      const live = await readLiveEntry(path);
      if (live === undefined) {
        return;
      }
      if (ttl <= 0) {
        await unlinkIfSame(path, live.read);
        return;
      }
      await this.refresh(path, live, expiryOf(ttl));
    });
  }

  async delete(key: string): Promise<void> {
    const path = this.pathOf(key);
    return await this.queue.run(key, () => unlinkQuietly(path));
  }

  /**
   * Writes `value` only if the live file still holds the payload fingerprinted by `expected`.
   * Within this process the read, the compare and the write run as one step per key, after every
   * earlier operation on it, so two racing replaces cannot both win and a delete is never undone.
   * Two processes sharing the directory are not serialised against each other: between one's
   * read and its rename the other may write or delete, and that change is then overwritten (a
   * deleted session comes back). `touch()` and `getAndTouch()` never do this.
   */
  async replace(key: string, value: string, options: StoreReplaceOptions): Promise<ReplaceResult> {
    const { ttl, expected } = options;
    if (ttl !== undefined) {
      assertTtl(ttl);
    }
    const path = this.pathOf(key);
    return await this.queue.run(key, async (): Promise<ReplaceResult> => {
      const live = await readLiveEntry(path);
      if (live === undefined) {
        return { status: 'missing' };
      }
      if (payloadFingerprint(live.envelope.value) !== expected) {
        return { status: 'conflict', current: live.envelope.value };
      }
      if (ttl !== undefined && ttl <= 0) {
        await unlinkIfSame(path, live.read);
      } else if (!(await this.rewrite(path, { expires: expiryOf(ttl), value }))) {
        return { status: 'missing' };
      }
      return { status: 'written' };
    });
  }

  /**
   * Number of session files in the directory, from its names alone (no file is opened), so files
   * that expired but were not read or purged yet are counted. The directory is streamed, so a
   * large one does not hold up requests.
   */
  length(): Promise<number> {
    return countSessionFiles(this.directory);
  }

  /**
   * Removes every session file, in batches that leave room for requests. Files of other programs
   * and temp files of writes in flight stay; a write that lands while the walk runs may stay too.
   */
  clear(): Promise<void> {
    return removeSessionFiles(this.directory);
  }

  /**
   * Removes session files not written or touched for `olderThan` seconds, and temp files left by
   * crashed writes. The directory is walked in small batches, two files at a time, with a turn of
   * the event loop between batches, so requests keep their latency. Resolves with the number of
   * session files removed.
   */
  async purge(olderThan: number = this.autoPurgeOlderThan): Promise<number> {
    return purgeDirectory(this.directory, olderThan * 1000);
  }

  /** Stops the purge timer and waits for operations in flight. */
  async close(): Promise<void> {
    this.stopAutoPurge?.();
    this.stopAutoPurge = undefined;
    await this.queue.idle();
  }

  /** The file of a key; keys that are not storeKey() hashes are refused (no path traversal). */
  private pathOf(key: string): string {
    if (typeof key !== 'string' || !STORE_KEY_SHAPE.test(key)) {
      throw new InvalidStoreKeyError(this.name);
    }
    const path = join(this.directory, `${key}.session`);
    // Belt and braces: the shape check already rules out separators and dots.
    if (!path.startsWith(this.directory + sep)) {
      throw new InvalidStoreKeyError(this.name);
    }
    return path;
  }

  private async writeAtomically(path: string, envelope: FileEnvelope): Promise<void> {
    await this.inDirectory(() => writeEntry(this.directory, path, envelope));
  }

  /** Creates the file only if no live one exists (see {@link createEntry}). */
  private async create(path: string, envelope: FileEnvelope): Promise<boolean> {
    return this.inDirectory(() => createEntry(this.directory, path, envelope));
  }

  /**
   * Moves the expiry of the entry just read. In place when it fits (see {@link refreshEntry}),
   * which never recreates a file deleted meanwhile; a file replaced meanwhile keeps the newer
   * write. Only an expiry of another length (no TTL to a TTL, or back) takes a rename.
   */
  private async refresh(path: string, live: LiveEntry, expires: number | null): Promise<void> {
    if ((await refreshEntry(path, live, expires)) === 'resized') {
      await this.rewrite(path, { expires, value: live.envelope.value });
    }
  }

  /**
   * Rewrites an entry that was just read live. Its directory is not recreated: when it has gone
   * (ENOENT), the entry went with it, and false says nothing was written.
   */
  private async rewrite(path: string, envelope: FileEnvelope): Promise<boolean> {
    try {
      await writeEntry(this.directory, path, envelope);
      return true;
    } catch (error) {
      if (isErrno(error, 'ENOENT')) {
        return false;
      }
      throw error;
    }
  }

  /**
   * Runs a write into the directory. When the directory was removed since it was made (ENOENT,
   * say from a /tmp cleaner), it is made again and the write retried once.
   */
  private async inDirectory<T>(write: () => Promise<T>): Promise<T> {
    await this.ensureDirectory();
    try {
      return await write();
    } catch (error) {
      if (!isErrno(error, 'ENOENT')) {
        throw error;
      }
    }
    await this.makeDirectory();
    return write();
  }

  private ensureDirectory(): Promise<void> {
    this.directoryReady ??= this.makeDirectory().catch((error: unknown) => {
      this.directoryReady = undefined; // let the next call try again
      throw error;
    });
    return this.directoryReady;
  }

  private async makeDirectory(): Promise<void> {
    await fs.mkdir(this.directory, { recursive: true, mode: DIRECTORY_MODE });
  }
}
