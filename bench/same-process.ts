/**
 * `npm run bench:same-process`: the /read and /write routes of no session (`bare`), our signed
 * cookie, our Redis factory (timeout trigger) and express-session + connect-redis, all in ONE
 * app process, with the same Cookie header on every request. The main bench gives each variant
 * its own process, as the issue asks; on a noisy host two processes of the same build can differ
 * by 15%. Here the libraries share the process, its JIT and its heap, so what differs between
 * rows is the session work itself.
 *
 * Each round loads every path once (order rotated), `--rounds=7` rounds of `--duration=1.5` s
 * after 0.3 s of warm-up; CPU per request comes from the app's process.cpuUsage(). Prints a
 * table and writes bench/results/same-process.md.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startRedisServer } from '../test/support/redis-server';
import { pinLoadGenerator, startAppProcess } from './support/child-app';
import { ROOT } from './support/environment';
import { primeSession, runLoad } from './support/load';
import { median } from './support/report';
import { ENV_REDIS_URL, type Route } from './support/variants';

const PREFIXES = ['bare', 'signed', 'redis', 'es'] as const;
type Prefix = (typeof PREFIXES)[number];
const LABELS: Record<Prefix, string> = {
  bare: 'no session (bare)',
  signed: 'ours, signed cookie',
  redis: 'ours, Redis (timeout trigger)',
  es: 'express-session + connect-redis',
};
const ROUTES: Route[] = ['/read', '/write'];

function flag(name: string, fallback: string): string {
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
}

interface Sample {
  rps: number;
  cpu: number;
}

async function main(): Promise<void> {
  const rounds = Number(flag('rounds', '7'));
  const duration = Number(flag('duration', '1.5'));
  pinLoadGenerator();
  const redis = await startRedisServer();
  const app = await startAppProcess(
    join(__dirname, 'app', 'same-process-main.js'),
    'Same-process app',
    { [ENV_REDIS_URL]: redis.url },
  );
  const samples = new Map<string, Sample[]>();
  try {
    const cookies: string[] = [];
    for (const prefix of ['signed', 'redis', 'es']) {
      cookies.push(await primeSession(app.port, `/${prefix}/prime`));
    }
    const cookie = cookies.join('; ');
    for (const route of ROUTES) {
      for (const prefix of PREFIXES) {
        await runLoad({ port: app.port, route, path: `/${prefix}${route}`, cookie, duration: 1 });
      }
    }
    for (let round = 0; round < rounds; round++) {
      for (const route of ROUTES) {
        const order = PREFIXES.map((_, i) => PREFIXES[(i + round) % PREFIXES.length]!);
        for (const prefix of order) {
          const path = `/${prefix}${route}`;
          await runLoad({ port: app.port, route, path, cookie, duration: 0.3 });
          const before = await app.cpu();
          const result = await runLoad({ port: app.port, route, path, cookie, duration });
          const cpu = (await app.cpu()) - before;
          if (result.non2xx > 0 || result.errors > 0) {
            throw new Error(`${path}: ${result.non2xx} non-2xx answers, ${result.errors} errors.`);
          }
          const key = `${prefix}${route}`;
          samples.set(key, [
            ...(samples.get(key) ?? []),
            { rps: result.rps, cpu: cpu / result.requests },
          ]);
          process.stderr.write(
            `  round ${round + 1}/${rounds} ${path.padEnd(14)} ${result.rps.toFixed(0)} req/s  cpu ${(cpu / result.requests).toFixed(0)} µs/req\n`,
          );
        }
      }
    }
  } finally {
    await app.stop();
    await redis.stop();
  }
  const markdown = report(samples, rounds, duration);
  process.stdout.write(`${markdown}\n`);
  writeFileSync(join(ROOT, 'bench', 'results', 'same-process.md'), `${markdown}\n`);
}

function report(samples: Map<string, Sample[]>, rounds: number, duration: number): string {
  const lines = [
    '# Same-process comparison',
    '',
    `\`npm run bench:same-process\`, Node ${process.version}, ${new Date().toISOString()}: one app process, ${rounds} rounds of ${duration} s per path (rotated order), the same Cookie header on every request. Medians; CPU is the app's user + system time per request.`,
    '',
    '| Route | Session | req/s | CPU µs/req | CPU over bare, µs | express-session / this (CPU) |',
    '|---|---|---:|---:|---:|---:|',
  ];
  for (const route of ROUTES) {
    const cpuOf = (p: Prefix) => median(samples.get(`${p}${route}`)!.map((s) => s.cpu));
    const bare = cpuOf('bare');
    const es = cpuOf('es');
    for (const prefix of PREFIXES) {
      const list = samples.get(`${prefix}${route}`)!;
      const cpu = cpuOf(prefix);
      const over = prefix === 'bare' ? '' : (cpu - bare).toFixed(0);
      lines.push(
        `| ${route} | ${LABELS[prefix]} | ${median(list.map((s) => s.rps)).toFixed(0)} | ${cpu.toFixed(0)} | ${over} | ${(es / cpu).toFixed(2)}x |`,
      );
    }
  }
  lines.push(
    '',
    'The last column is the ceiling argument of bench/README.md: on the `bare` row it is the best ratio any session library could reach against express-session on this route (its whole cost over a request that has no session).',
  );
  return lines.join('\n');
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
