/**
 * The target comparisons, measured with both apps of a pair under load at the same moment: the
 * two apps run on the same pinned core, each loaded by its own autocannon run (10 connections)
 * started together, so a slowdown of the host (steal, a neighbour, a slower clock) hits both
 * alike, and the ratio of their throughputs is the ratio of what a request costs each of them.
 * On this project's VM the host's speed moved by a factor of three between two runs, which
 * sequential runs (even A B B A) cannot cancel.
 *
 * Two phases per pair, each with freshly started apps: A started first, then B first. Two
 * identical apps (bare against bare) measured 0.98x when the first-started one was A and 1.02x
 * when it was B; alternating the order cancels that. `npm run bench` judges the targets on the
 * median block's CPU-per-request ratio (steadier than req/s on this host), and measures the cost
 * above the floor pairs the same way.
 */
import { startChildApp, type ChildApp } from './child-app';
import { assertClean, primeSession, runLoad, type LoadResult } from './load';
import type { PairedRatio } from './report';
import { VARIANTS, type Route } from './variants';

export interface PairSettings {
  /** Blocks per phase (two phases: A started first, then B). */
  blocksPerPhase: number;
  /** Seconds of load per block. */
  duration: number;
  /** Seconds of untimed load, both apps together, before each block. */
  warmup: number;
  /** Seconds of untimed load per phase right after the apps start. */
  startWarmup: number;
}

export interface PairBlock {
  /** Requests A served over those B served in the same seconds. */
  rps: number;
  /** B's CPU per request over A's. */
  cpu: number;
  /** A's share of the CPU time both apps used. */
  share: number;
  /** A's and B's CPU time per request (user + system, all threads), in µs. */
  cpuA: number;
  cpuB: number;
}

/**
 * The Cookie header each app's client sends, from one `POST /prime` to each app (bare answers it
 * too, without a cookie, so both apps have received the same requests). Against `bare` or a
 * Redis floor (no cookie of their own), both clients send the cookies our app set, so the two
 * apps parse identical requests and the ratio is what the library costs, not what the extra
 * bytes on the wire cost.
 *
 * Called once per phase, before the start-up warm-up, never between blocks: a prime is the first
 * request on a new connection with another client's headers, and sends V8 back to unoptimised
 * code in about 15 functions of Node's HTTP path in any app (`--trace-deopt`; 38 in ours before
 * the `secure: 'auto'` fix). Re-optimising took longer than a block's 0.3 s warm-up, so a fresh
 * session per block charged that transient to the app that was primed, and never to bare
 * (bench/README.md, "Sixth pass").
 */
async function primeBoth(a: ChildApp, b: ChildApp): Promise<[string, string]> {
  const cookieA = await primeSession(a.port);
  const cookieB = await primeSession(b.port);
  return [cookieA, VARIANTS[b.variant].floor === true ? cookieA : cookieB];
}

/** Both apps loaded together for `duration` s with the phase's cookies; CPU per request. */
async function together(
  [a, b]: [ChildApp, ChildApp],
  [cookieA, cookieB]: [string, string],
  route: Route,
  settings: Pick<PairSettings, 'duration' | 'warmup'>,
  aFirst = true,
): Promise<PairBlock> {
  await Promise.all([
    runLoad({ port: a.port, route, cookie: cookieA, duration: settings.warmup }),
    runLoad({ port: b.port, route, cookie: cookieB, duration: settings.warmup }),
  ]);
  const [a0, b0] = [await a.cpu(), await b.cpu()];
  const loadA = (): Promise<LoadResult> =>
    runLoad({ port: a.port, route, cookie: cookieA, duration: settings.duration });
  const loadB = (): Promise<LoadResult> =>
    runLoad({ port: b.port, route, cookie: cookieB, duration: settings.duration });
  // The load generator opens the first run's connections first; alternate which that is.
  const [ra, rb]: LoadResult[] = aFirst
    ? await Promise.all([loadA(), loadB()])
    : (await Promise.all([loadB(), loadA()])).reverse();
  if (ra === undefined || rb === undefined) {
    throw new Error('A load run returned no result.');
  }
  const [ca, cb] = [(await a.cpu()) - a0, (await b.cpu()) - b0];
  assertClean(a.label, route, ra);
  assertClean(b.label, route, rb);
  return {
    rps: ra.requests / rb.requests,
    cpu: cb / rb.requests / (ca / ra.requests),
    share: ca / (ca + cb),
    cpuA: ca / ra.requests,
    cpuB: cb / rb.requests,
  };
}

/** Measures `mine` against `theirs` on `route`: every block of both phases, in order. */
export async function measurePair(
  [mine, theirs, route]: readonly [string, string, Route],
  redisUrl: string,
  settings: PairSettings,
  log: (line: string) => void,
): Promise<PairBlock[]> {
  const blocks: PairBlock[] = [];
  for (const aFirst of [true, false]) {
    const firstStarted = aFirst ? mine : theirs;
    const started: ChildApp[] = [];
    try {
      for (const label of aFirst ? [mine, theirs] : [theirs, mine]) {
        started.push(await startChildApp(label, redisUrl));
      }
      const apps: [ChildApp, ChildApp] = aFirst
        ? [started[0]!, started[1]!]
        : [started[1]!, started[0]!];
      // One session per phase (a phase lasts under 20 s: no trigger or re-issue window is near).
      const cookies = await primeBoth(...apps);
      await together(apps, cookies, route, { duration: settings.startWarmup, warmup: 0.2 });
      for (let i = 0; i < settings.blocksPerPhase; i++) {
        const block = await together(apps, cookies, route, settings, i % 2 === 0);
        blocks.push(block);
        log(
          `  together ${route.padEnd(6)} ${mine} / ${theirs} (${firstStarted} started first): block ${i + 1}/${settings.blocksPerPhase} ${block.rps.toFixed(3)}x req/s, ${block.cpu.toFixed(3)}x CPU per request (${block.cpuA.toFixed(0)} / ${block.cpuB.toFixed(0)} µs), ${(block.share * 100).toFixed(0)}% of the core`,
        );
      }
    } finally {
      await Promise.all(started.map((app) => app.stop()));
    }
  }
  return blocks;
}

/** The blocks as the targets read them (no instruction counts in this mode). */
export function pairedRatio(blocks: readonly PairBlock[]): PairedRatio {
  return {
    rps: blocks.map((b) => b.rps),
    cpu: blocks.map((b) => b.cpu),
    cpuA: blocks.map((b) => b.cpuA),
    cpuB: blocks.map((b) => b.cpuB),
    instructions: [],
  };
}
