/**
 * `npm run bench:simultaneous`: the target comparisons with both apps under load at the same
 * moment. The two apps of a pair run on the same pinned core, each loaded by its own autocannon
 * run (10 connections) started together, so a slowdown of the host (steal, a neighbour, a slower
 * clock) hits both alike; the ratio of their throughputs is then the ratio of what a request
 * costs each of them. On this project's VM the host's speed moved by a factor of three between
 * two runs, which sequential runs (even A B B A) cannot cancel.
 *
 * A diagnostic beside `npm run bench`, not the method (each variant alone): the
 * caveats are printed with the table. Flags: --blocks=6, --duration=2. Writes
 * bench/results/simultaneous.md.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startRedisServer } from '../test/support/redis-server';
import { pinLoadGenerator, startChildApp, type ChildApp } from './support/child-app';
import { ROOT } from './support/environment';
import { primeSession, runLoad, type LoadResult } from './support/load';
import { median, TARGET_PAIRS } from './support/report';
import type { Route } from './support/variants';

function flag(name: string, fallback: string): string {
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
}

interface Block {
  /** Requests served by A over those served by B in the same seconds. */
  rps: number;
  /** B's CPU per request over A's. */
  cpu: number;
  /** A's share of the CPU time both apps used. */
  share: number;
}

async function cookieFor(app: ChildApp): Promise<string> {
  return app.variant === 'bare' ? '' : primeSession(app.port);
}

/** Both apps loaded together for `duration` s; their results and CPU per request. */
async function together(a: ChildApp, b: ChildApp, route: Route, duration: number): Promise<Block> {
  const [cookieA, cookieB] = [await cookieFor(a), await cookieFor(b)];
  await Promise.all([
    runLoad({ port: a.port, route, cookie: cookieA, duration: 0.3 }),
    runLoad({ port: b.port, route, cookie: cookieB, duration: 0.3 }),
  ]);
  const [a0, b0] = [await a.cpu(), await b.cpu()];
  const [ra, rb]: [LoadResult, LoadResult] = await Promise.all([
    runLoad({ port: a.port, route, cookie: cookieA, duration }),
    runLoad({ port: b.port, route, cookie: cookieB, duration }),
  ]);
  const [ca, cb] = [(await a.cpu()) - a0, (await b.cpu()) - b0];
  for (const [app, r] of [
    [a, ra],
    [b, rb],
  ] as const) {
    if (r.non2xx > 0 || r.errors > 0) {
      throw new Error(`${app.label} ${route}: ${r.non2xx} non-2xx answers, ${r.errors} errors.`);
    }
  }
  return {
    rps: ra.requests / rb.requests,
    cpu: cb / rb.requests / (ca / ra.requests),
    share: ca / (ca + cb),
  };
}

async function main(): Promise<void> {
  const blocks = Number(flag('blocks', '6'));
  const duration = Number(flag('duration', '2'));
  pinLoadGenerator();
  const redis = await startRedisServer();
  const results: [string, Block[]][] = [];
  try {
    for (const [mine, theirs, route] of TARGET_PAIRS) {
      const a = await startChildApp(mine, redis.url);
      const b = await startChildApp(theirs, redis.url);
      try {
        await together(a, b, route, 1);
        const list: Block[] = [];
        for (let i = 0; i < blocks; i++) {
          list.push(await together(a, b, route, duration));
          const last = list.at(-1)!;
          process.stderr.write(
            `  ${route.padEnd(6)} ${mine} / ${theirs}: block ${i + 1}/${blocks} ${last.rps.toFixed(3)}x req/s, ${last.cpu.toFixed(3)}x CPU per request, ${(last.share * 100).toFixed(0)}% of the core\n`,
          );
        }
        results.push([`\`${route}\` ${mine} vs ${theirs}`, list]);
      } finally {
        await a.stop();
        await b.stop();
      }
    }
  } finally {
    await redis.stop();
  }
  const lines = [
    '# Simultaneous load',
    '',
    `\`npm run bench:simultaneous\`, Node ${process.version}, ${new Date().toISOString()}: the two apps of each target comparison on one core, loaded together (10 connections each, ${duration} s, ${blocks} blocks after a 1 s warm-up; a fresh session per block).`,
    '',
    '| Comparison | req/s ratio (median, range) | CPU per request ratio (median) | share of the core (median) |',
    '|---|---:|---:|---:|',
  ];
  for (const [name, list] of results) {
    const rps = list.map((b) => b.rps);
    lines.push(
      `| ${name} | ${median(rps).toFixed(3)}x (${Math.min(...rps).toFixed(2)}-${Math.max(...rps).toFixed(2)}) | ${median(list.map((b) => b.cpu)).toFixed(3)}x | ${(median(list.map((b) => b.share)) * 100).toFixed(0)}% |`,
    );
  }
  lines.push(
    '',
    'Caveats: the scheduler shares the core between threads, so the app with more busy threads (garbage-collector helpers) gets a little more of it, which leans the req/s ratio towards that app; while one app waits for Redis the other gets the core, which moves the share on routes that wait for a write. The CPU ratio does not depend on the share.',
  );
  const markdown = lines.join('\n');
  process.stdout.write(`${markdown}\n`);
  writeFileSync(join(ROOT, 'bench', 'results', 'simultaneous.md'), `${markdown}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
