/**
 * `npm run bench:simultaneous`: only the target comparisons, as `npm run bench` measures them
 * (both apps of a pair under load at the same moment, see bench/support/pairs.ts), in about two
 * minutes. Flags: --blocks=3 (per phase; two phases), --duration=2,
 * --pair=A,B,/route. Writes
 * bench/results/simultaneous.md.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startRedisServer } from '../test/support/redis-server';
import { pinLoadGenerator } from './support/child-app';
import { ROOT } from './support/environment';
import { measurePair, type PairBlock } from './support/pairs';
import { median, TARGET_PAIRS } from './support/report';
import { ROUTES, type Route } from './support/variants';

function flag(name: string, fallback: string): string {
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
}

/**
 * The target comparisons, or those given as `--pair=A,B,/route` (repeatable), e.g. a patched
 * build against the current one: `--pair=ours-redis-trigger@/tmp/patched,ours-redis-trigger,/read`.
 */
function pairsToRun(): (readonly [string, string, Route])[] {
  const given = process.argv
    .filter((a) => a.startsWith('--pair='))
    .map((a) => a.slice('--pair='.length).split(','));
  if (given.length === 0) {
    return [...TARGET_PAIRS];
  }
  return given.map(([a, b, route]) => {
    if (a === undefined || b === undefined || !ROUTES.includes(route as Route)) {
      throw new Error(`--pair needs A,B,/route with a route of ${ROUTES.join(', ')}.`);
    }
    return [a, b, route as Route] as const;
  });
}

async function main(): Promise<void> {
  const blocks = Number(flag('blocks', '3'));
  const duration = Number(flag('duration', '2'));
  pinLoadGenerator();
  const redis = await startRedisServer();
  const results: [string, PairBlock[]][] = [];
  try {
    for (const pair of pairsToRun()) {
      const [mine, theirs, route] = pair;
      const list = await measurePair(
        pair,
        redis.url,
        { blocksPerPhase: blocks, duration, warmup: 0.3, startWarmup: 2 },
        (line) => process.stderr.write(`${line}\n`),
      );
      results.push([`\`${route}\` ${mine} vs ${theirs}`, list]);
    }
  } finally {
    await redis.stop();
  }
  const lines = [
    '# Simultaneous load',
    '',
    `\`npm run bench:simultaneous\`, Node ${process.version}, ${new Date().toISOString()}: the two apps of each target comparison on one core, loaded together (10 connections each, ${duration} s per block, ${blocks} blocks in each of two phases with fresh apps, A started first then B, one session per phase, primed on both apps before a 2 s start-up load, and 0.3 s of load before each block; against bare, both clients send our app's cookies).`,
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
