import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';

/** Packages whose versions are printed with the results. */
const PACKAGES = [
  '@nestjs/core',
  '@nestjs/platform-express',
  'express',
  'ioredis',
  'express-session',
  'connect-redis',
  'redis',
  'cookie-session',
  'cookie-signature',
  'iron-session',
  'autocannon',
] as const;

export const ROOT = join(__dirname, '..', '..', '..');

function packageVersion(name: string): string {
  try {
    const file = join(ROOT, 'node_modules', name, 'package.json');
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

/** HEAD, and whether src/ differs from it (a run may measure uncommitted changes). */
function gitCommit(): string {
  try {
    const git = (...args: string[]): string =>
      execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
    const head = git('rev-parse', '--short', 'HEAD');
    return git('status', '--porcelain', '--', 'src') === ''
      ? head
      : `${head} + uncommitted changes in src/`;
  } catch {
    return 'unknown';
  }
}

/** The machine and software a result was measured on. */
export interface Environment {
  date: string;
  node: string;
  redis: string;
  cpuCount: number;
  cpuModel: string;
  library: string;
  packages: Record<string, string>;
}

export function describeEnvironment(redisVersion: string): Environment {
  const cores = cpus();
  const own = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    node: process.version,
    redis: redisVersion,
    cpuCount: cores.length,
    cpuModel: cores[0]?.model.trim() ?? 'unknown',
    library: `nestjs-session-multi ${own.version} (commit ${gitCommit()})`,
    packages: Object.fromEntries(PACKAGES.map((p) => [p, packageVersion(p)])),
  };
}

export function formatEnvironment(env: Environment): string {
  const packages = Object.entries(env.packages)
    .map(([name, version]) => `${name} ${version}`)
    .join(', ');
  return [
    `- Date: ${env.date}`,
    `- Library: ${env.library}`,
    `- Node ${env.node}, Redis ${env.redis}`,
    `- CPU: ${env.cpuCount} x ${env.cpuModel}`,
    `- Packages: ${packages}`,
  ].join('\n');
}

/** `redis_version` from an `INFO server` reply. */
export function redisVersionOf(info: string): string {
  return /redis_version:([^\r\n]+)/.exec(info)?.[1] ?? 'unknown';
}
