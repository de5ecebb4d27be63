/**
 * `npm run bench`: every variant side by side, in one run on one machine.
 *
 * Starts a private redis-server, one child process per variant (the same small Nest app shape),
 * counts Redis commands per request, then loads the variants with autocannon from this process,
 * alternating them (A B C ... A B C ...) run after run. Then measures each target comparison, and
 * ours against the floor of its route (bare, or a Redis floor: bench/app/floor-redis.ts), with
 * both apps of the pair loaded together (bench/support/pairs.ts). Ends with the
 * micro-benchmarks, prints the tables and writes bench/results/latest.md.
 *
 * Flags: --quick (a short run for development), --variants=a,b (a subset; bare is always added),
 * --routes=/none,/read, --runs=N, --duration=S (overrides, for investigating one cell),
 * --no-micro. A variant may be given as `name@/path/to/checkout` to run that checkout's build
 * (its dist-bench) beside this one: the way to A/B a patched src/. Only a full run of every
 * variant writes bench/results/latest.md; other runs write quick.md or partial.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startRedisServer, type RedisServer } from '../test/support/redis-server';
import { FULL_MICRO, QUICK_MICRO, type MicroRow } from './micro/harness';
import { runMicroSuite } from './micro/suite';
import {
  pinLoadGenerator,
  PINNING,
  splitLabel,
  startChildApp,
  type ChildApp,
} from './support/child-app';
import {
  ROOT,
  describeEnvironment,
  formatEnvironment,
  redisVersionOf,
} from './support/environment';
import { countInstructions, INSTRUCTIONS_COUNTED } from './support/instructions';
import {
  assertClean,
  CONNECTIONS,
  PrimedSessions,
  readCounter,
  SESSION_REUSE_SECONDS,
  runLoad,
  type LoadResult,
} from './support/load';
import { measurePair, pairedRatio } from './support/pairs';
import {
  cellKey,
  checkTargets,
  FLOOR_PAIRS,
  formatFloors,
  formatTable,
  formatTargets,
  pairKey,
  summarise,
  TARGET_PAIRS,
  type PairedRatios,
  type CommandCount,
  type Commands,
  type Runs,
} from './support/report';
import { ROUTES, routesOf, VARIANTS, VARIANT_NAMES, type Route } from './support/variants';

interface Settings {
  quick: boolean;
  /** Timed runs per variant and route. */
  runs: number;
  /** Seconds per timed run. */
  duration: number;
  /** Seconds of untimed load before every timed run. */
  warmup: number;
  /** Seconds of untimed load per route when each app starts. */
  initialWarmup: number;
  /** Requests sent while counting Redis commands. */
  commandSample: number;
  /** Blocks per phase of each target comparison, both apps loaded together (two phases). */
  pairedBlocks: number;
  /** Seconds per block (each preceded by `pairedWarmup` s of load, both apps together). */
  pairedDuration: number;
  pairedWarmup: number;
  /** Seconds of load after the pair's apps start, in each phase. */
  pairedStartWarmup: number;
  routes: Route[];
  /** Some setting was overridden on the command line. */
  partial: boolean;
}

const FULL: Settings = {
  quick: false,
  runs: 3,
  duration: 1.5,
  warmup: 0.3,
  initialWarmup: 0.5,
  commandSample: 1000,
  pairedBlocks: 3,
  pairedDuration: 2,
  pairedWarmup: 0.3,
  pairedStartWarmup: 2,
  routes: [...ROUTES],
  partial: false,
};
const QUICK: Settings = {
  quick: true,
  runs: 2,
  duration: 1,
  warmup: 0.3,
  initialWarmup: 0.5,
  commandSample: 1000,
  pairedBlocks: 1,
  pairedDuration: 1,
  pairedWarmup: 0.2,
  pairedStartWarmup: 0.5,
  routes: [...ROUTES],
  partial: false,
};

/** Connection and server-admin commands, not caused by the requests. */
const IGNORED_COMMANDS = /^(info|config|ping|client|hello|select|auth|command)\b/;

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

function flag(argv: string[], name: string): string | undefined {
  return argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

function parseSettings(argv: string[]): Settings {
  const base = argv.includes('--quick') ? QUICK : FULL;
  const runs = flag(argv, 'runs');
  const duration = flag(argv, 'duration');
  return {
    ...base,
    runs: runs === undefined ? base.runs : Number(runs),
    duration: duration === undefined ? base.duration : Number(duration),
    routes: parseRoutes(argv),
    partial: runs !== undefined || duration !== undefined || flag(argv, 'routes') !== undefined,
  };
}

function parseRoutes(argv: string[]): Route[] {
  const value = flag(argv, 'routes');
  return value === undefined ? [...ROUTES] : ROUTES.filter((r) => value.split(',').includes(r));
}

/** Variant labels in table order; bare is always included. */
function parseVariants(argv: string[]): string[] {
  const value = flag(argv, 'variants');
  if (value === undefined) {
    return [...VARIANT_NAMES];
  }
  const labels = [...new Set(['bare', ...value.split(',')])];
  const order = (label: string): number => VARIANT_NAMES.indexOf(splitLabel(label)[0]);
  return labels.sort((a, b) => order(a) - order(b) || a.length - b.length);
}

/** Starts every variant's app, one after the other (so start-up work does not overlap). */
async function startApps(labels: string[], redis: RedisServer): Promise<Map<string, ChildApp>> {
  const apps = new Map<string, ChildApp>();
  for (const label of labels) {
    const app = await startChildApp(label, redis.url);
    apps.set(app.label, app);
  }
  return apps;
}

/** Each app must see the primed session on /read before anything is measured. */
async function checkSessions(apps: Map<string, ChildApp>, sessions: PrimedSessions): Promise<void> {
  for (const [label, app] of apps) {
    const { cookie } = await sessions.cookieFor(app);
    const info = VARIANTS[app.variant];
    if (info.floor === true && !info.redis) {
      // bare and bare-intercepted keep no session: /read answers a constant.
      continue;
    }
    const counter = await readCounter(app.port, cookie);
    if (counter !== 1) {
      throw new Error(
        `Variant "${label}": /read after /prime returned ${String(counter)}, expected 1.`,
      );
    }
  }
}

/** Commands Redis has processed so far (INFO stats), the INFO call itself included. */
async function processedCommands(redis: RedisServer): Promise<number> {
  const info = await redis.command('INFO', 'stats');
  return Number(/total_commands_processed:(\d+)/.exec(info)?.[1] ?? NaN);
}

/**
 * Waits until Redis has seen nothing but this probe for 100 ms (at most 3 s). A warm-up that
 * ended on its duration left requests in flight whose writes can still arrive; counted after a
 * reset, they would be charged to the next route (10 stray SETs over 1000 /read requests).
 */
async function untilQuiet(redis: RedisServer): Promise<void> {
  let before = await processedCommands(redis);
  for (let i = 0; i < 30; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = await processedCommands(redis);
    if (now - before <= 1) {
      return;
    }
    before = now;
  }
}

/** CONFIG RESETSTAT, exactly `amount` requests, INFO commandstats, divide. */
async function countCommands(
  redis: RedisServer,
  app: ChildApp,
  route: Route,
  amount: number,
  sessions: PrimedSessions,
): Promise<CommandCount> {
  const { cookie } = await sessions.cookieFor(app);
  await untilQuiet(redis);
  await redis.resetStats();
  const result = await runLoad({ port: app.port, route, cookie, amount });
  assertClean(app.label, route, result);
  if (result.requests !== amount) {
    throw new Error(
      `Variant "${app.label}" ${route}: ${result.requests} of ${amount} requests answered.`,
    );
  }
  const stats = await redis.commandStats();
  const byCommand: Record<string, number> = {};
  let total = 0;
  for (const [name, calls] of Object.entries(stats)) {
    if (!IGNORED_COMMANDS.test(name)) {
      byCommand[name] = calls / amount;
      total += calls;
    }
  }
  return { perRequest: total / amount, byCommand };
}

/**
 * Seconds of untimed load after a run's session was primed just now, instead of `warmup`: long
 * enough for V8 to re-optimise what the prime request sent back (see PrimedSessions).
 */
const WARMUP_AFTER_PRIME = 1;

/** One timed run on the app's current session, after `warmup` seconds of untimed load. */
async function timedRun(
  app: ChildApp,
  route: Route,
  duration: number,
  warmup: number,
  sessions: PrimedSessions,
): Promise<LoadResult> {
  const { cookie, primed } = await sessions.cookieFor(app);
  await runLoad({
    port: app.port,
    route,
    cookie,
    duration: primed ? Math.max(warmup, WARMUP_AFTER_PRIME) : warmup,
  });
  const cpuBefore = await app.cpu();
  const { result, instructions } = await countInstructions(app.process.pid, () =>
    runLoad({ port: app.port, route, cookie, duration }),
  );
  result.cpuPerRequest = ((await app.cpu()) - cpuBefore) / result.requests;
  result.instructionsPerRequest =
    instructions === undefined ? undefined : instructions / result.requests;
  assertClean(app.label, route, result);
  return result;
}

/**
 * The target comparisons and the floor pairs, both apps of a pair under load together
 * (bench/support/pairs.ts).
 */
async function measurePairs(
  redisUrl: string,
  settings: Settings,
  labels: string[],
): Promise<PairedRatios> {
  const paired: PairedRatios = new Map();
  for (const pair of [...TARGET_PAIRS, ...FLOOR_PAIRS]) {
    const [mine, theirs, route] = pair;
    if (
      !labels.includes(mine) ||
      !labels.includes(theirs) ||
      !settings.routes.includes(route) ||
      paired.has(pairKey(mine, theirs, route))
    ) {
      continue;
    }
    const blocks = await measurePair(
      pair,
      redisUrl,
      {
        blocksPerPhase: settings.pairedBlocks,
        duration: settings.pairedDuration,
        warmup: settings.pairedWarmup,
        startWarmup: settings.pairedStartWarmup,
      },
      log,
    );
    paired.set(pairKey(mine, theirs, route), pairedRatio(blocks));
  }
  return paired;
}

async function measure(
  apps: Map<string, ChildApp>,
  settings: Settings,
  sessions: PrimedSessions,
): Promise<Runs> {
  const runs: Runs = new Map();
  for (let round = 0; round < settings.runs; round++) {
    for (const route of settings.routes) {
      // Alternate: every variant once per round, the order rotated each round.
      const labels = [...apps.keys()].filter((l) => routesOf(apps.get(l)!.variant).includes(route));
      for (let k = 0; k < labels.length; k++) {
        const label = labels[(k + round) % labels.length]!;
        const app = apps.get(label)!;
        const result = await timedRun(app, route, settings.duration, settings.warmup, sessions);
        const key = cellKey(label, route);
        runs.set(key, [...(runs.get(key) ?? []), result]);
        log(
          `  round ${round + 1}/${settings.runs} ${route.padEnd(6)} ${label.padEnd(30)} ${result.rps.toFixed(0).padStart(6)} req/s  p50 ${result.p50.toFixed(2)} ms  p99 ${result.p99.toFixed(2)} ms  cpu ${(result.cpuPerRequest ?? 0).toFixed(0)} µs/req`,
        );
      }
    }
  }
  return runs;
}

function methodText(settings: Settings): string {
  return [
    `- ${settings.quick ? '**Quick run** (development only, not for the README): ' : ''}${settings.runs} timed runs of ${settings.duration} s per variant and route, each preceded by ${settings.warmup} s of untimed warm-up; every app also got ${settings.initialWarmup} s per route of warm-up at start.`,
    `- autocannon, ${CONNECTIONS} connections, no pipelining, from the parent process; each variant's Nest app (Express adapter) in its own child process.`,
    '- Variants alternated: each round runs every variant once per route, the order rotated each round. req/s and latencies are medians over the runs; each ratio is the median of the per-round ratios (the two variants ran seconds apart in every round, which cancels drift on the machine).',
    `- Each app's client reuses one session cookie created by an untimed POST /prime (every app is primed, bare too; bare sets no cookie and its client sends none). A session is reused for at most ${SESSION_REUSE_SECONDS} s, under the signed cookie's re-issue age; a run whose session was primed just now gets ${WARMUP_AFTER_PRIME} s of warm-up instead of ${settings.warmup} s, as the prime request sends V8 back to unoptimised code in Node's HTTP path for a moment.`,
    `- Redis commands per request: CONFIG RESETSTAT, exactly ${settings.commandSample} requests, INFO commandstats divided by ${settings.commandSample} (connection and admin commands ignored).`,
    '- Latency percentiles are computed from every 2xx response time (autocannon `response` events, sub-millisecond).',
    `- Targets: after the table, each target comparison runs again with both apps on the app core, loaded together (10 connections each), so a change in the host's speed hits both alike: two phases with freshly started apps (A started first, then B first, which cancels a start-order bias of about 2% that two identical apps showed), ${settings.pairedBlocks} blocks of ${settings.pairedDuration} s per phase, each after ${settings.pairedWarmup} s of load; one session per phase, primed on both apps before the phase's ${settings.pairedStartWarmup} s start-up load. A block's ratios are B's CPU time per request over A's and A's requests over B's in the same seconds; a target is judged by CPU per request on the median block (steadier than req/s on this host), req/s and the ranges beside it. Against bare or a Redis floor, both clients send our app's cookies, so both apps parse identical requests.`,
    `- Cost above the floor: measured like the targets, ours-redis-trigger against floor-redis-read on /read and floor-redis-write on /write (bare's app plus one GET, or one GET then one SET, of a session-sized record over the same node-redis client), and ours-signed against bare on /read; bare-intercepted against bare, floor-redis-read-intercepted and floor-redis-write-intercepted against their floors show what Nest's interceptor and parameter machinery alone cost each route (a no-op interceptor and a constant parameter decorator, as a session route carries SessionCommitInterceptor and @Session()), a part of ours' cost above the floor. The cost is ours' CPU µs per request minus the floor's in each block (median and range over the blocks); the floors run only on their own route in the table.`,
    INSTRUCTIONS_COUNTED
      ? '- Instructions per request: `perf stat -e instructions` attached to the app for each timed run (user + kernel, every thread), divided by the requests served. Host steal time and cache pressure change time, not instruction counts, so this column is the steadiest measure of the work a request costs.'
      : '- Instructions per request: not counted (needs Linux `perf` with hardware counters).',
    PINNING === undefined
      ? '- CPU pinning: off (needs Linux, 2+ CPUs and taskset).'
      : `- CPU pinning (taskset): the apps on CPU ${PINNING.app}, autocannon and redis-server on CPU ${PINNING.rest}, so the app measured never shares its core with the load generator.`,
  ].join('\n');
}

async function main(): Promise<void> {
  const settings = parseSettings(process.argv);
  const labels = parseVariants(process.argv);
  // Only a full run of everything may replace the committed results.
  const complete = !settings.quick && !settings.partial && labels.length === VARIANT_NAMES.length;
  const outFile = complete ? 'latest.md' : settings.quick ? 'quick.md' : 'partial.md';
  const started = Date.now();
  log(`Benchmark (${settings.quick ? 'quick' : 'full'}): ${labels.join(', ')}`);
  pinLoadGenerator();
  const redis = await startRedisServer();
  let apps = new Map<string, ChildApp>();
  try {
    const redisVersion = redisVersionOf(await redis.command('INFO', 'server'));
    apps = await startApps(labels, redis);
    const sessions = new PrimedSessions();
    await checkSessions(apps, sessions);

    log('Warming up every app...');
    for (const app of apps.values()) {
      for (const route of settings.routes.filter((r) => routesOf(app.variant).includes(r))) {
        const { cookie } = await sessions.cookieFor(app);
        await runLoad({ port: app.port, route, cookie, duration: settings.initialWarmup });
      }
    }

    log('Counting Redis commands per request...');
    const commands: Commands = new Map();
    for (const app of [...apps.values()].filter((a) => VARIANTS[a.variant].redis)) {
      for (const route of settings.routes.filter((r) => routesOf(app.variant).includes(r))) {
        commands.set(
          cellKey(app.label, route),
          await countCommands(redis, app, route, settings.commandSample, sessions),
        );
      }
    }

    log('Measuring...');
    const runs = await measure(apps, settings, sessions);
    const measured = [...apps.keys()];
    await Promise.all([...apps.values()].map((a) => a.stop()));
    apps.clear();
    log('The target comparisons, both apps loaded together...');
    const paired = await measurePairs(redis.url, settings, measured);

    let micro = { rows: [] as MicroRow[], markdown: 'Skipped (--no-micro).' };
    if (!process.argv.includes('--no-micro')) {
      log('Micro-benchmarks...');
      micro = await runMicroSuite(settings.quick ? QUICK_MICRO : FULL_MICRO);
    }
    const signVerify = micro.rows.find((r) => r.name === 'ours Signer, HMAC-SHA256')?.ratio;

    const rows = summarise(measured, runs, commands);
    const targets = checkTargets(rows, commands, signVerify, paired);
    const env = describeEnvironment(redisVersion);
    const minutes = ((Date.now() - started) / 60000).toFixed(1);
    const args = process.argv.slice(2).join(' ');
    const markdown = [
      '# Benchmark results',
      '',
      `Written by \`npm run bench${args === '' ? '' : ` -- ${args}`}\` in ${minutes} min. See bench/README.md for the method and the variants.`,
      '',
      formatEnvironment(env),
      '',
      '## Method',
      '',
      methodText(settings),
      '',
      '## Requests per second, latency, Redis commands',
      '',
      formatTable(rows),
      '',
      '"vs peer" compares with the matching peer from the same run: ours-signed with cookie-session, ours-redis and ours-redis-trigger with express-session-redis, ours-redis-ttl with express-session-redis-rolling, ours-multi with ours-signed (same work plus two unused namespaces).',
      '',
      '## Cost above the floor (both apps loaded together)',
      '',
      formatFloors(paired, commands),
      '',
      '## Targets (issue 4)',
      '',
      formatTargets(targets),
      '',
      '## Micro-benchmarks',
      '',
      micro.markdown,
      '',
    ].join('\n');
    process.stdout.write(`${markdown}\n`);
    const out = join(ROOT, 'bench', 'results');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, outFile), markdown);
    log(`Wrote bench/results/${outFile} (${minutes} min).`);
  } finally {
    await Promise.all([...apps.values()].map((a) => a.stop()));
    await redis.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
