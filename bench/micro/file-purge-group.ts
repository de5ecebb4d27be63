/**
 * FileStore.get while a purge removes 100k idle files from the same directory: get latency at
 * rest and during the purge, measured once and reported in the group note.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileStore } from '../../src/stores/file.store';
import { storeKey } from '../../src/stores/store-key';
import type { MicroGroup } from './harness';

const IDLE_FILES = 100_000;
const PAYLOAD = JSON.stringify({ m: { user: 'user-1234', cart: [1, 2, 3] }, c: 0, v: 1 });

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

async function timedGets(store: FileStore, key: string, keepGoing: () => boolean, min: number) {
  const micros: number[] = [];
  while (micros.length < min || keepGoing()) {
    const start = process.hrtime.bigint();
    await store.get(key);
    micros.push(Number(process.hrtime.bigint() - start) / 1e3);
  }
  return micros.sort((a, b) => a - b);
}

const describeGets = (m: number[]): string =>
  `p50 ${percentile(m, 0.5).toFixed(0)} µs, p99 ${percentile(m, 0.99).toFixed(0)} µs, max ${(m[m.length - 1]! / 1000).toFixed(1)} ms over ${m.length} gets`;

async function purgeFigures(): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'nsm-bench-purge-'));
  const directory = join(root, 'sessions');
  mkdirSync(directory);
  try {
    const envelope = JSON.stringify({ expires: null, value: PAYLOAD });
    for (let i = 0; i < IDLE_FILES; i++) {
      writeFileSync(join(directory, `${storeKey(`idle-${i}`)}.session`), envelope);
    }
    // Everything written so far becomes older than the 1 s purge limit; the live key does not.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const store = new FileStore({ directory, autoPurgeEvery: 0 });
    const key = storeKey('the-live-session');
    await store.set(key, PAYLOAD, { ttl: 3600 });
    const idle = await timedGets(store, key, () => false, 3000);
    let purging = true;
    const started = process.hrtime.bigint();
    const purge = store.purge(1).finally(() => (purging = false));
    const during = await timedGets(store, key, () => purging, 100);
    const removed = await purge;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    await store.close();
    return `idle ${describeGets(idle)}; during a purge of ${removed} files (${seconds.toFixed(1)} s) ${describeGets(during)}`;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** FileStore.get at rest, with the purge figures in the note. */
export async function filePurgeGroup(): Promise<MicroGroup> {
  const note = await purgeFigures();
  const root = mkdtempSync(join(tmpdir(), 'nsm-bench-get-'));
  const store = new FileStore({ directory: root, autoPurgeEvery: 0 });
  const key = storeKey('the-live-session');
  await store.set(key, PAYLOAD, { ttl: 3600 });
  process.once('exit', () => rmSync(root, { recursive: true, force: true }));
  return {
    title: 'FileStore get, 100k-file purge beside it',
    reference: 'get a live session',
    note: `get latency with ${IDLE_FILES} idle files being purged from the same directory: ${note}.`,
    cases: [{ name: 'get a live session', fn: () => store.get(key) }],
  };
}
