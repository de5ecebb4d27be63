/**
 * MemoryStore at 10k, 100k and 1M entries: a write that evicts against an overwrite, and the
 * longest pause of its background sweep. The sweep figures are one-shot measurements, reported in
 * the group notes.
 */
import { MemoryStore } from '../../src/stores/memory.store';
import type { MicroGroup } from './harness';

export const STORE_SCALES = [10_000, 100_000, 1_000_000];

/** A 43-character key, the shape storeKey() gives. */
const keyOf = (i: number): string => `k${String(i).padStart(42, '0')}`;
const PAYLOAD = JSON.stringify({ m: { user: 'user-1234', cart: [1, 2, 3] }, c: 0, v: 1 });

function fullStore(entries: number, ttl: number | undefined): MemoryStore {
  const store = new MemoryStore({ maxEntries: entries, sweepInterval: 0 });
  for (let i = 0; i < entries; i++) {
    void store.set(keyOf(i), PAYLOAD, { ttl });
  }
  return store;
}

/**
 * Runs `job` while a setImmediate probe records the longest gap between event-loop turns, in ms:
 * wall clock, and the CPU time the process used in that gap (steadier on a busy machine).
 */
export async function longestPause(
  job: () => Promise<unknown>,
): Promise<{ wall: number; cpu: number }> {
  const longest = { wall: 0, cpu: 0 };
  let running = true;
  let last = process.hrtime.bigint();
  let lastCpu = process.cpuUsage();
  const probe = (): void => {
    const now = process.hrtime.bigint();
    const cpu = process.cpuUsage(lastCpu);
    longest.wall = Math.max(longest.wall, Number(now - last) / 1e6);
    longest.cpu = Math.max(longest.cpu, (cpu.user + cpu.system) / 1e3);
    last = now;
    lastCpu = process.cpuUsage();
    if (running) {
      setImmediate(probe);
    }
  };
  setImmediate(probe);
  await job();
  running = false;
  return longest;
}

async function sweepFigures(entries: number): Promise<string> {
  // Half the entries have run out: expired and live ones alternate, the worst case for the walk.
  const store = new MemoryStore({ maxEntries: entries, sweepInterval: 0 });
  for (let i = 0; i < entries; i++) {
    void store.set(keyOf(i), PAYLOAD, { ttl: i % 2 === 0 ? 0.001 : 3600 });
  }
  await new Promise((resolve) => setTimeout(resolve, 5));
  const started = process.hrtime.bigint();
  const pause = await longestPause(() => store.length());
  const total = Number(process.hrtime.bigint() - started) / 1e6;
  const left = store.size;

  const oneGo = new MemoryStore({ maxEntries: entries, sweepInterval: 0 });
  for (let i = 0; i < entries; i++) {
    void oneGo.set(keyOf(i), PAYLOAD, { ttl: i % 2 === 0 ? 0.001 : 3600 });
  }
  await new Promise((resolve) => setTimeout(resolve, 5));
  const before = process.hrtime.bigint();
  oneGo.sweep();
  const whole = Number(process.hrtime.bigint() - before) / 1e6;
  return `${entries} entries (half expired): sliced sweep took ${total.toFixed(1)} ms in all, longest pause ${pause.wall.toFixed(2)} ms wall / ${pause.cpu.toFixed(2)} ms CPU (${left} left); sweep() in one go ${whole.toFixed(1)} ms`;
}

function scaleGroup(entries: number): MicroGroup {
  const evicting = fullStore(entries, 3600);
  const overwriting = fullStore(entries, 3600);
  let next = entries;
  let cycle = 0;
  return {
    title: `MemoryStore set, full at ${entries} entries`,
    reference: 'overwrite an existing key',
    cases: [
      {
        name: 'overwrite an existing key',
        // A stride through the whole store, so the overwrites touch cold entries as evictions do.
        fn: () =>
          overwriting.set(keyOf((cycle = (cycle + 7919) % entries)), PAYLOAD, { ttl: 3600 }),
      },
      {
        name: 'set a new key (evicts the oldest)',
        fn: () => evicting.set(keyOf(next++), PAYLOAD, { ttl: 3600 }),
      },
    ],
  };
}

/** The MemoryStore scale groups; the sweep pauses go in the last group's note. */
export async function memoryScaleGroups(): Promise<MicroGroup[]> {
  // Sweeps first, so their stores are garbage before the stores of the timed cases fill the heap.
  const sweeps: string[] = [];
  for (const entries of STORE_SCALES) {
    sweeps.push(await sweepFigures(entries));
  }
  const groups = STORE_SCALES.map(scaleGroup);
  groups[groups.length - 1]!.note =
    `Background sweep (store.length() sweeps first): ${sweeps.join('; ')}.`;
  return groups;
}
