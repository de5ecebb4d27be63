import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

/**
 * Packs the repository as npm would publish it (prepack builds dist/) and compiles the consumer in
 * test/types/consumer against the tarball, with `strict` and `skipLibCheck: false`, under node10
 * and node16 module resolution. The tarball is extracted into the consumer's node_modules, which
 * is what `npm install` does for a package whose only dependency (`cookie`) is linked beside it
 * together with the peers, so no network is needed.
 */
const run = promisify(execFile);
const ROOT = process.cwd();
const CONSUMER = join(ROOT, 'test/types/consumer');
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
/** The dependency, the peers (ioredis included) and Node's types, as a consumer has them. */
const LINKED = [
  'cookie',
  '@nestjs/common',
  '@nestjs/core',
  'reflect-metadata',
  'rxjs',
  'ioredis',
  '@types/node',
];
const HOOK_TIMEOUT_MS = 180_000;

interface PackResult {
  filename: string;
  files: { path: string }[];
}

describe('the packed package', () => {
  let work: string;
  let packed: PackResult;
  let project: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'nestjs-session-multi-pack-'));
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', work], {
      cwd: ROOT,
      maxBuffer: 16 * 1024 * 1024,
    });
    packed = (JSON.parse(stdout) as PackResult[])[0]!;

    project = join(work, 'consumer');
    const modules = join(project, 'node_modules');
    mkdirSync(modules, { recursive: true });
    await run('tar', ['-xzf', join(work, packed.filename), '-C', work]);
    cpSync(join(work, 'package'), join(modules, 'nestjs-session-multi'), { recursive: true });
    for (const name of LINKED) {
      mkdirSync(dirname(join(modules, name)), { recursive: true });
      symlinkSync(join(ROOT, 'node_modules', name), join(modules, name), 'dir');
    }
    for (const file of readdirSync(CONSUMER)) {
      cpSync(join(CONSUMER, file), join(project, file));
    }
  }, HOOK_TIMEOUT_MS);

  afterAll(() => {
    if (work !== undefined) {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('should ship the build with its declarations, licence and docs, without sources or source maps', () => {
    const paths = packed.files.map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'LICENSE',
        'README.md',
        'package.json',
        'dist/index.js',
        'dist/index.d.ts',
        'CHANGELOG.md',
        'docs/session-api.md',
      ]),
    );
    expect(
      paths.filter(
        (p) =>
          !['LICENSE', 'README.md', 'CHANGELOG.md', 'package.json'].includes(p) &&
          !p.startsWith('dist/') &&
          !p.startsWith('docs/'),
      ),
    ).toEqual([]);
    expect(
      paths.filter((p) => p.endsWith('.map') || (p.endsWith('.ts') && !p.endsWith('.d.ts'))),
    ).toEqual([]);
  });

  // node10 resolution reads `types`; node16 resolution reads the `exports` map.
  it.each(['tsconfig.json', 'tsconfig.node20.json'])(
    'should type a consumer (%s): valid calls compile, invalid options are errors',
    async (tsconfig) => {
      const result = await run(process.execPath, [TSC, '-p', tsconfig], { cwd: project }).then(
        () => '',
        (error: { stdout?: string; message: string }) => error.stdout || error.message,
      );
      expect(result).toBe('');
    },
    HOOK_TIMEOUT_MS,
  );
});
