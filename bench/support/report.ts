import type { LoadResult } from './load';
import { ROUTES, VARIANTS, type Route, type VariantName } from './variants';

/** Redis commands per request for one variant and route, with the per-command breakdown. */
export interface CommandCount {
  perRequest: number;
  byCommand: Record<string, number>;
}

export interface RowSummary {
  /** The variant, or `variant@build` for an app built from another checkout. */
  label: string;
  variant: VariantName;
  route: Route;
  rps: number;
  p50: number;
  p99: number;
  /** Median server CPU time per request, in µs. */
  cpu: number;
  /** Median instructions per request (thousands), or NaN when not counted. */
  kInstructions: number;
  vsBare: number | undefined;
  peer: VariantName | undefined;
  vsPeer: number | undefined;
  /** The same comparisons from server CPU time per request (reference CPU / this CPU). */
  vsBareCpu: number | undefined;
  vsPeerCpu: number | undefined;
  commands: CommandCount | undefined;
}

export type Runs = Map<string, LoadResult[]>;

/** Per-block ratios of one target comparison, both apps loaded together (A over B; CPU: B's over A's). */
export interface PairedRatio {
  rps: number[];
  cpu: number[];
  /** A's and B's CPU time per request in each block, in µs. */
  cpuA: number[];
  cpuB: number[];
  /** Instructions per request, B's over A's (empty when perf could not count). */
  instructions: number[];
}
export type PairedRatios = Map<string, PairedRatio>;

/** The comparisons the targets are judged on: [ours, reference, route]. */
export const TARGET_PAIRS: readonly [VariantName, VariantName, Route][] = [
  ['ours-multi', 'bare', '/none'],
  ['ours-redis-trigger', 'express-session-redis', '/read'],
  ['ours-redis-trigger', 'express-session-redis', '/write'],
  ['ours-signed', 'cookie-session', '/read'],
];

/**
 * What ours costs above the least its route can cost, both apps loaded together like the targets:
 * [ours, floor, route]. The Redis floors do bare's work plus the Redis commands the route needs
 * (bench/app/floor-redis.ts); the signed cookie's floor is bare. The last three pairs hold no
 * session at all: what Nest's interceptor and parameter machinery alone cost each of those routes,
 * a part of every row above them.
 */
export const FLOOR_PAIRS: readonly [VariantName, VariantName, Route][] = [
  ['ours-redis-trigger', 'floor-redis-read', '/read'],
  ['ours-redis-trigger', 'floor-redis-write', '/write'],
  ['ours-signed', 'bare', '/read'],
  ['bare-intercepted', 'bare', '/read'],
  ['floor-redis-read-intercepted', 'floor-redis-read', '/read'],
  ['floor-redis-write-intercepted', 'floor-redis-write', '/write'],
];

export function pairKey(mine: string, theirs: string, route: Route): string {
  return `${mine} / ${theirs} ${route}`;
}
export type Commands = Map<string, CommandCount>;

export function cellKey(label: string, route: Route): string {
  return `${label} ${route}`;
}

function baseVariant(label: string): VariantName {
  return label.split('@')[0] as VariantName;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Medians per cell, and ratios paired by round: in each round the two variants ran within seconds
 * of each other, so the ratio of that round cancels slow drift on the machine; the median of the
 * per-round ratios is reported.
 */
export function summarise(labels: readonly string[], runs: Runs, commands: Commands): RowSummary[] {
  const pairedRatio = (
    v: string,
    other: string,
    r: Route,
    ratio: (mine: LoadResult, theirs: LoadResult) => number = (m, t) => m.rps / t.rps,
  ): number | undefined => {
    const a = runs.get(cellKey(v, r));
    const b = runs.get(cellKey(other, r));
    if (a === undefined || b === undefined) {
      return undefined;
    }
    const n = Math.min(a.length, b.length);
    return median(Array.from({ length: n }, (_, i) => ratio(a[i]!, b[i]!)));
  };
  const cpuRatio = (m: LoadResult, t: LoadResult): number =>
    (t.cpuPerRequest ?? Number.NaN) / (m.cpuPerRequest ?? Number.NaN);
  const rows: RowSummary[] = [];
  for (const route of ROUTES) {
    for (const label of labels) {
      const results = runs.get(cellKey(label, route));
      if (results === undefined) {
        continue;
      }
      const variant = baseVariant(label);
      const peer = VARIANTS[variant].peer;
      const vsPeer = peer === undefined ? undefined : pairedRatio(label, peer, route);
      const vsPeerCpu = peer === undefined ? undefined : pairedRatio(label, peer, route, cpuRatio);
      rows.push({
        label,
        variant,
        route,
        rps: median(results.map((x) => x.rps)),
        p50: median(results.map((x) => x.p50)),
        p99: median(results.map((x) => x.p99)),
        cpu: median(results.map((x) => x.cpuPerRequest ?? Number.NaN)),
        kInstructions: median(results.map((x) => (x.instructionsPerRequest ?? Number.NaN) / 1000)),
        vsBare: variant === 'bare' ? undefined : pairedRatio(label, 'bare', route),
        peer: vsPeer === undefined ? undefined : peer,
        vsPeer,
        vsBareCpu: variant === 'bare' ? undefined : pairedRatio(label, 'bare', route, cpuRatio),
        vsPeerCpu,
        commands: commands.get(cellKey(label, route)),
      });
    }
  }
  return rows;
}

const fixed = (n: number | undefined, digits: number, suffix = ''): string =>
  n === undefined || Number.isNaN(n) ? '' : `${n.toFixed(digits)}${suffix}`;

function formatCommands(count: CommandCount | undefined): string {
  if (count === undefined) {
    return '';
  }
  const parts = Object.entries(count.byCommand)
    .filter(([, n]) => n > 0)
    .map(([name, n]) => `${name.toUpperCase()} ${n.toFixed(2)}`);
  return parts.length === 0 ? '0' : `${count.perRequest.toFixed(2)} (${parts.join(', ')})`;
}

/** The main table: one row per variant and route. */
export function formatTable(rows: RowSummary[]): string {
  const lines = [
    '| Route | Variant | req/s | p50 ms | p99 ms | CPU µs/req | k instr/req | vs bare (CPU) | vs peer (CPU) | Redis cmds/req |',
    '|---|---|---:|---:|---:|---:|---:|---:|---|---|',
  ];
  for (const row of rows) {
    const bare =
      row.vsBare === undefined
        ? ''
        : `${fixed(row.vsBare, 2, 'x')} (${fixed(row.vsBareCpu, 2, 'x')})`;
    const peer =
      row.vsPeer === undefined
        ? ''
        : `${row.vsPeer.toFixed(2)}x (${fixed(row.vsPeerCpu, 2, 'x')}) ${row.peer}`;
    lines.push(
      `| ${row.route} | ${row.label} | ${row.rps.toFixed(0)} | ${fixed(row.p50, 2)} | ${fixed(row.p99, 2)} | ${fixed(row.cpu, 0)} | ${fixed(row.kInstructions, 0)} | ${bare} | ${peer} | ${formatCommands(row.commands)} |`,
    );
  }
  return lines.join('\n');
}

export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean | undefined;
}

function ratio(
  rows: RowSummary[],
  variant: VariantName,
  route: Route,
  against: 'bare' | 'peer',
): [number | undefined, number | undefined] {
  const row = rows.find((r) => r.label === variant && r.route === route);
  return against === 'bare' ? [row?.vsBare, row?.vsBareCpu] : [row?.vsPeer, row?.vsPeerCpu];
}

const range = (values: number[], digits: number): string =>
  `${Math.min(...values).toFixed(digits)}-${Math.max(...values).toFixed(digits)}`;

/**
 * Met on the CPU-per-request ratio of the blocks with both apps loaded together (steadier than
 * req/s on this host), with the req/s ratio of the same blocks beside it; when the pair did not
 * run, on the table's CPU ratio (its req/s ratio if CPU was not measured).
 */
function ratioCheck(
  target: string,
  [value, cpu]: [number | undefined, number | undefined],
  atLeast: number,
  paired: PairedRatio | undefined,
): TargetCheck {
  if (paired !== undefined && paired.cpu.length > 0) {
    const byCpu = median(paired.cpu);
    const instructions =
      paired.instructions.length > 0
        ? `; ${median(paired.instructions).toFixed(3)}x by instructions per request (${range(paired.instructions, 2)})`
        : '';
    return {
      target,
      measured: `**${byCpu.toFixed(3)}x by CPU per request** together (${paired.cpu.length} blocks, ${range(paired.cpu, 2)}); ${median(paired.rps).toFixed(3)}x req/s (${range(paired.rps, 2)})${instructions}${value === undefined ? '' : `; table: ${value.toFixed(3)}x req/s`}`,
      met: byCpu >= atLeast,
    };
  }
  const judged = cpu === undefined || Number.isNaN(cpu) ? value : cpu;
  const cpuText =
    cpu === undefined || Number.isNaN(cpu) ? '' : `${cpu.toFixed(3)}x by CPU per request, `;
  return {
    target,
    measured: value === undefined ? 'not measured' : `${cpuText}${value.toFixed(3)}x req/s (table)`,
    met: judged === undefined ? undefined : judged >= atLeast,
  };
}

function commandCheck(
  target: string,
  commands: Commands,
  cells: [VariantName, Route, number][],
): TargetCheck {
  const measured: string[] = [];
  let met: boolean | undefined = true;
  for (const [variant, route, ceiling] of cells) {
    const count = commands.get(cellKey(variant, route));
    if (count === undefined) {
      met = undefined;
      measured.push(`${variant} ${route}: not measured`);
      continue;
    }
    measured.push(`${variant} ${route}: ${count.perRequest.toFixed(2)}`);
    if (met !== undefined && count.perRequest > ceiling) {
      met = false;
    }
  }
  return { target, measured: measured.join('; '), met };
}

/** The issue's targets (the sign + verify one comes from the micro suite). */
export function checkTargets(
  rows: RowSummary[],
  commands: Commands,
  signVerifyRatio: number | undefined,
  paired: PairedRatios = new Map(),
): TargetCheck[] {
  const [none, read, write, signed] = TARGET_PAIRS.map(([a, b, r]) => paired.get(pairKey(a, b, r)));
  return [
    ratioCheck(
      '/none on ours-multi within 3% of bare (>= 0.97x)',
      ratio(rows, 'ours-multi', '/none', 'bare'),
      0.97,
      none,
    ),
    ratioCheck(
      '/read ours-redis-trigger >= 1.3x express-session-redis',
      ratio(rows, 'ours-redis-trigger', '/read', 'peer'),
      1.3,
      read,
    ),
    ratioCheck(
      '/write ours-redis-trigger >= 1.2x express-session-redis',
      ratio(rows, 'ours-redis-trigger', '/write', 'peer'),
      1.2,
      write,
    ),
    ratioCheck(
      '/read ours-signed >= 1.0x cookie-session',
      ratio(rows, 'ours-signed', '/read', 'peer'),
      1.0,
      signed,
    ),
    commandCheck(
      'Redis commands per request at the ceilings (untouched 0, read 1, write 2)',
      commands,
      [
        ['ours-redis-trigger', '/none', 0],
        ['ours-redis-trigger', '/read', 1],
        ['ours-redis-trigger', '/write', 2],
        ['ours-redis-trigger-ioredis', '/read', 1],
        ['ours-redis-trigger-ioredis', '/write', 2],
        ['ours-redis-ttl', '/read', 1],
        ['ours-redis', '/read', 2],
        ['ours-redis', '/write', 2],
        ['ours-multi', '/none', 0],
        ['ours-multi', '/read', 0],
      ],
    ),
    {
      target: 'Cookie sign + verify >= cookie-signature (HMAC-SHA256 both)',
      measured:
        signVerifyRatio === undefined ? 'not measured' : `${signVerifyRatio.toFixed(3)}x ops/s`,
      met: signVerifyRatio === undefined ? undefined : signVerifyRatio >= 1,
    },
  ];
}

export function formatTargets(checks: TargetCheck[]): string {
  const lines = ['| Target | Measured | Met |', '|---|---|---|'];
  for (const c of checks) {
    const met = c.met === undefined ? 'not measured' : c.met ? 'yes' : '**no**';
    lines.push(`| ${c.target} | ${c.measured} | ${met} |`);
  }
  return lines.join('\n');
}

/** Redis commands per request of one cell, or 0 for a variant that never talks to Redis. */
function commandsOf(commands: Commands, variant: VariantName, route: Route): string {
  if (!VARIANTS[variant].redis) {
    return '0';
  }
  const count = commands.get(cellKey(variant, route));
  return count === undefined ? '?' : count.perRequest.toFixed(2);
}

/**
 * The floor pairs, both apps loaded together: what ours costs above the floor in CPU µs per
 * request (ours' CPU per request minus the floor's in each block; median and range over the
 * blocks) and its throughput as a fraction of the floor's.
 */
export function formatFloors(paired: PairedRatios, commands: Commands): string {
  const lines = [
    '| Route | Ours vs floor | CPU µs/req, ours / floor | Cost above the floor, µs/req (range) | Ours/floor req/s (by CPU) | Redis cmds/req, ours / floor |',
    '|---|---|---:|---:|---:|---|',
  ];
  for (const [mine, floor, route] of FLOOR_PAIRS) {
    const p = paired.get(pairKey(mine, floor, route));
    if (p === undefined || p.cpu.length === 0) {
      continue;
    }
    const above = p.cpuA.map((a, i) => a - p.cpuB[i]!);
    lines.push(
      `| ${route} | ${mine} vs ${floor} | ${median(p.cpuA).toFixed(0)} / ${median(p.cpuB).toFixed(0)} | **${median(above).toFixed(0)}** (${range(above, 0)}) | ${median(p.rps).toFixed(2)}x (${median(p.cpu).toFixed(2)}x) | ${commandsOf(commands, mine, route)} / ${commandsOf(commands, floor, route)} |`,
    );
  }
  return lines.length === 2
    ? "Not measured (a floor pair's variants or route were left out)."
    : lines.join('\n');
}
