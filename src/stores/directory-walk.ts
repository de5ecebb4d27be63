import { promises as fs, type Dir } from 'node:fs';
import { isErrno } from './file-envelope';

/** Settings of {@link walkDirectory}. @internal */
export interface WalkOptions {
  /** Names handled before the walk gives the event loop a turn. */
  batch: number;
  /** Files handled at once: low enough to leave libuv's threads (4 by default) to requests. */
  concurrency: number;
}

/** Two lanes of 64 names: requests keep their latency while a large directory is walked. @internal */
const GENTLE_WALK: WalkOptions = { batch: 64, concurrency: 2 };

/**
 * Calls `visit` for every entry name of a directory without holding the event loop or the libuv
 * thread pool: names are streamed (`opendir`, never one `readdir` of the whole directory), handled
 * `concurrency` at a time, and the walk waits for a turn of the event loop (`setImmediate`) after
 * every `batch` names. A missing directory is an empty one. Files removed during the walk may or
 * may not be visited; files present throughout are visited once.
 *
 * @internal
 */
export async function walkDirectory(
  directory: string,
  visit: (name: string) => Promise<void> | void,
  options: WalkOptions = GENTLE_WALK,
): Promise<void> {
  let dir: Dir;
  try {
    dir = await fs.opendir(directory, { bufferSize: options.batch });
  } catch (error) {
    if (isErrno(error, 'ENOENT')) {
      return;
    }
    throw error;
  }
  let names: string[] = [];
  // The iterator closes the directory when the loop ends or throws.
  for await (const entry of dir) {
    names.push(entry.name);
    if (names.length >= options.batch) {
      await inLanes(names, options.concurrency, visit);
      names = [];
      await nextTurn();
    }
  }
  await inLanes(names, options.concurrency, visit);
}

async function inLanes(
  names: readonly string[],
  lanes: number,
  visit: (name: string) => Promise<void> | void,
): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < names.length) {
      await visit(names[next++]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(lanes, names.length) }, lane));
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
