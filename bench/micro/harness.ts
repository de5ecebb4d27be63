/**
 * A small micro-benchmark harness: calibrated batches timed with process.hrtime.bigint, a
 * warm-up that is thrown away, and samples of every case in a group interleaved (A B A B) so
 * that drift on the machine hits all of them alike. The reported figure is the median sample.
 */

/** One thing to time. `fn` may return a promise; it is then awaited one call at a time. */
export interface MicroCase {
  name: string;
  fn: () => unknown;
}

/** Cases that do the same job; ratios are taken against `reference`. */
export interface MicroGroup {
  title: string;
  /** Name of the case the others are compared with. */
  reference: string;
  cases: MicroCase[];
  /** What the numbers mean, for the results file. */
  note?: string;
}

export interface MicroSettings {
  warmupMs: number;
  sampleMs: number;
  samples: number;
}

export const FULL_MICRO: MicroSettings = { warmupMs: 300, sampleMs: 250, samples: 7 };
export const QUICK_MICRO: MicroSettings = { warmupMs: 100, sampleMs: 80, samples: 3 };

export interface MicroRow {
  group: string;
  name: string;
  opsPerSec: number;
  /** ops/s divided by the reference case's ops/s. */
  ratio: number;
  reference: string;
}

/** Keeps results alive so the JIT cannot drop the work. */
let sink: unknown;

function isPromise(value: unknown): value is Promise<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

async function runBatch(fn: () => unknown, n: number, isAsync: boolean): Promise<void> {
  if (isAsync) {
    for (let i = 0; i < n; i++) {
      sink = await fn();
    }
  } else {
    for (let i = 0; i < n; i++) {
      sink = fn();
    }
  }
}

/** ops/s over about `ms` milliseconds, in batches of `batch` calls. */
async function sample(
  fn: () => unknown,
  batch: number,
  ms: number,
  isAsync: boolean,
): Promise<number> {
  const start = process.hrtime.bigint();
  const budget = BigInt(Math.round(ms * 1e6));
  let ops = 0;
  let elapsed: bigint;
  do {
    await runBatch(fn, batch, isAsync);
    ops += batch;
    elapsed = process.hrtime.bigint() - start;
  } while (elapsed < budget);
  return ops / (Number(elapsed) / 1e9);
}

/** The number of calls that take about 5 ms, so the clock is read rarely. */
async function calibrate(fn: () => unknown, isAsync: boolean): Promise<number> {
  let n = 1;
  for (;;) {
    const start = process.hrtime.bigint();
    await runBatch(fn, n, isAsync);
    if (Number(process.hrtime.bigint() - start) >= 5e6 || n >= 1 << 20) {
      return n;
    }
    n *= 2;
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Runs every group and returns one row per case. */
export async function runGroups(
  groups: MicroGroup[],
  settings: MicroSettings,
): Promise<MicroRow[]> {
  const rows: MicroRow[] = [];
  for (const group of groups) {
    const prepared = [];
    for (const c of group.cases) {
      // One call tells whether fn is async; it finishes before the next starts (two requests
      // on one session at once would be a concurrent write, which the session refuses).
      const probe = c.fn();
      const isAsync = isPromise(probe);
      if (isAsync) {
        await probe;
      }
      const batch = await calibrate(c.fn, isAsync);
      await sample(c.fn, batch, settings.warmupMs, isAsync);
      prepared.push({ c, batch, isAsync, samples: [] as number[] });
    }
    for (let s = 0; s < settings.samples; s++) {
      // Rotate the order each round so no case always runs first.
      for (let k = 0; k < prepared.length; k++) {
        const p = prepared[(k + s) % prepared.length]!;
        p.samples.push(await sample(p.c.fn, p.batch, settings.sampleMs, p.isAsync));
      }
    }
    const ops = new Map(prepared.map((p) => [p.c.name, median(p.samples)]));
    const reference = ops.get(group.reference);
    if (reference === undefined) {
      throw new Error(`Micro group "${group.title}": no case named "${group.reference}".`);
    }
    for (const [name, opsPerSec] of ops) {
      rows.push({
        group: group.title,
        name,
        opsPerSec,
        ratio: opsPerSec / reference,
        reference: group.reference,
      });
    }
  }
  if (sink === Symbol.for('never')) {
    rows.length = 0;
  }
  return rows;
}

function formatOps(ops: number): string {
  return ops >= 1e6 ? `${(ops / 1e6).toFixed(2)} M` : `${(ops / 1e3).toFixed(1)} k`;
}

/** A markdown table of the rows. */
export function formatMicro(rows: MicroRow[]): string {
  const lines = ['| Hot path | Case | ops/s | vs reference |', '|---|---|---:|---:|'];
  for (const row of rows) {
    const ratio = row.name === row.reference ? '1.00 (reference)' : `${row.ratio.toFixed(2)}x`;
    lines.push(`| ${row.group} | ${row.name} | ${formatOps(row.opsPerSec)} | ${ratio} |`);
  }
  return lines.join('\n');
}
