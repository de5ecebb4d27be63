/**
 * `npm run bench:clients`: what one Redis round trip costs the application's CPU through each
 * client library, outside Nest and outside any session library. Each mode is a plain Node HTTP
 * server in its own process (pinned like the bench apps) whose handler makes the calls named;
 * autocannon (10 connections) loads it; CPU per request is the server's user + system time over
 * the requests served. Modes alternate over `--rounds=3` rounds of `--duration=3` s. Writes
 * bench/results/clients.md.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startRedisServer } from '../test/support/redis-server';
import { CLIENT_MODES, type ClientMode } from './clients/server';
import { pinLoadGenerator, startAppProcess } from './support/child-app';
import { ROOT } from './support/environment';
import { runLoad } from './support/load';
import { median } from './support/report';

function flag(name: string, fallback: string): string {
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
}

async function main(): Promise<void> {
  const rounds = Number(flag('rounds', '3'));
  const duration = Number(flag('duration', '3'));
  pinLoadGenerator();
  const redis = await startRedisServer();
  const cpu = new Map<ClientMode, number[]>();
  try {
    for (let round = 0; round < rounds; round++) {
      for (let k = 0; k < CLIENT_MODES.length; k++) {
        const mode = CLIENT_MODES[(k + round) % CLIENT_MODES.length]!;
        const app = await startAppProcess(join(__dirname, 'clients', 'server.js'), mode, {
          BENCH_CLIENT_MODE: mode,
          BENCH_REDIS_URL: redis.url,
        });
        try {
          await runLoad({ port: app.port, route: '/none', cookie: '', duration: 1.5 });
          const before = await app.cpu();
          const result = await runLoad({ port: app.port, route: '/none', cookie: '', duration });
          const perRequest = ((await app.cpu()) - before) / result.requests;
          cpu.set(mode, [...(cpu.get(mode) ?? []), perRequest]);
          process.stderr.write(
            `  round ${round + 1}/${rounds} ${mode.padEnd(24)} ${result.rps.toFixed(0)} req/s  cpu ${perRequest.toFixed(0)} µs/req\n`,
          );
        } finally {
          await app.stop();
        }
      }
    }
  } finally {
    await redis.stop();
  }
  const floor = median(cpu.get('no Redis call')!);
  const lines = [
    '# What a Redis round trip costs the app, by client',
    '',
    `\`npm run bench:clients\`, Node ${process.version}, ${new Date().toISOString()}: a plain Node HTTP server per mode, autocannon with 10 connections, ${rounds} rounds of ${duration} s (modes alternated). CPU is the server's user + system time per request.`,
    '',
    '| Handler | CPU µs/req (median) | over no Redis call, µs | rounds |',
    '|---|---:|---:|---|',
    ...CLIENT_MODES.map((mode) => {
      const list = cpu.get(mode)!;
      const m = median(list);
      return `| ${mode} | ${m.toFixed(0)} | ${mode === 'no Redis call' ? '' : (m - floor).toFixed(0)} | ${list.map((v) => v.toFixed(0)).join(' / ')} |`;
    }),
  ];
  const markdown = lines.join('\n');
  process.stdout.write(`${markdown}\n`);
  writeFileSync(join(ROOT, 'bench', 'results', 'clients.md'), `${markdown}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
