/**
 * `npm run bench:profile`: runs one variant's app under `node --cpu-prof`, loads one route with
 * autocannon, stops the app (which writes the .cpuprofile) and summarises the profile over the
 * measured window only (start-up and warm-up left out).
 *
 * Flags: --variant=ours-redis-trigger (default; `name@/path/to/checkout` profiles another
 * build), --route=/read (default), --duration=10.
 * Writes bench/results/<variant>-<route>.cpuprofile (git-ignored; open it in Chrome DevTools)
 * and bench/results/profile-<variant>-<route>.md.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { startRedisServer } from '../test/support/redis-server';
import { pinLoadGenerator, splitLabel, startChildApp } from './support/child-app';
import { formatProfile, summariseProfile, type CpuProfile } from './support/cpu-profile';
import { ROOT } from './support/environment';
import { primeSession, runLoad } from './support/load';
import { ROUTES, type Route } from './support/variants';

function flag(name: string, fallback: string): string {
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
}

async function main(): Promise<void> {
  const label = flag('variant', 'ours-redis-trigger');
  const [variant, checkout] = splitLabel(label);
  const route = flag('route', '/read') as Route;
  const duration = Number(flag('duration', '10'));
  if (!ROUTES.includes(route)) {
    throw new Error(`Unknown route "${route}". Known: ${ROUTES.join(', ')}.`);
  }
  const dir = join(ROOT, 'bench', 'results');
  const tag = checkout === undefined ? variant : `${variant}@${basename(checkout)}`;
  const base = `${tag}${route.replace('/', '-')}`;
  pinLoadGenerator();
  const redis = await startRedisServer();
  try {
    const app = await startChildApp(label, redis.url, [
      '--cpu-prof',
      `--cpu-prof-dir=${dir}`,
      `--cpu-prof-name=${base}.cpuprofile`,
    ]);
    try {
      const cookie = variant === 'bare' ? '' : await primeSession(app.port);
      await runLoad({ port: app.port, route, cookie, duration: 3 });
      const from = await app.mark();
      const result = await runLoad({ port: app.port, route, cookie, duration });
      process.stderr.write(
        `${tag} ${route} under the profiler: ${result.rps.toFixed(0)} req/s, p50 ${result.p50.toFixed(2)} ms\n`,
      );
      await app.stop();
      const profile = JSON.parse(
        readFileSync(join(dir, `${base}.cpuprofile`), 'utf8'),
      ) as CpuProfile;
      const markdown = [
        `# CPU profile: ${tag} ${route}`,
        '',
        `\`npm run bench:profile -- --variant=${label} --route=${route} --duration=${duration}\`, Node ${process.version}, ${new Date().toISOString()}.`,
        `Load: autocannon, 10 connections, ${duration} s, ${result.rps.toFixed(0)} req/s under the profiler (profiling slows the app).`,
        '',
        formatProfile(summariseProfile(profile, from)),
        '',
      ].join('\n');
      process.stdout.write(markdown);
      writeFileSync(join(dir, `profile-${base}.md`), markdown);
    } finally {
      await app.stop();
    }
  } finally {
    await redis.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
