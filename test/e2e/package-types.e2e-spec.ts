import { execFile } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { moduleSpecifiers, packageOf } from '../support/module-specifiers';

/**
 * Packs the repository as npm would publish it (prepack builds dist/) and compiles the consumer in
 * test/types/consumer against the tarball, with `strict` and `skipLibCheck: false`, under node10
 * and node16 module resolution. The tarball is extracted into the consumer's node_modules, which
 * is what `npm install` does for a package whose only dependency (`cookie`) is linked beside it
 * together with the peers, so no network is needed. A second consumer links everything but ioredis
 * (an optional peer): an application with cookie sessions only must compile without it.
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

interface Manifest {
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

/**
 * The packages a consumer is sure to have: the dependencies and the peers that are not optional.
 * Node's builtins come with @types/node, which Nest applications have.
 */
function alwaysInstalled(manifest: Manifest): Set<string> {
  const required = Object.keys(manifest.peerDependencies ?? {}).filter(
    (peer) => manifest.peerDependenciesMeta?.[peer]?.optional !== true,
  );
  return new Set([...Object.keys(manifest.dependencies ?? {}), ...required]);
}

/** Package names a declaration file needs: imports, `import()` types and `/// <reference types>`. */
function packagesNeeded(fileName: string, text: string): string[] {
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const references = file.typeReferenceDirectives.map((ref) => `@types/${ref.fileName}`);
  return [...references, ...moduleSpecifiers(fileName, text)]
    .map(packageOf)
    .filter((name): name is string => name !== undefined && name !== '@types/node');
}

/** `file: package` for each package a declaration file needs beyond those always installed. */
function optionalImports(files: { path: string; text: string }[], allowed: Set<string>): string[] {
  return files.flatMap((f) =>
    packagesNeeded(f.path, f.text)
      .filter((name) => !allowed.has(name))
      .map((name) => `${f.path}: ${name}`),
  );
}

interface PackResult {
  filename: string;
  files: { path: string }[];
}

/** A consumer project: the extracted package, the given packages linked, test/types/consumer. */
function makeConsumer(work: string, name: string, linked: readonly string[]): string {
  const project = join(work, name);
  const modules = join(project, 'node_modules');
  mkdirSync(modules, { recursive: true });
  cpSync(join(work, 'package'), join(modules, 'nestjs-session-multi'), { recursive: true });
  for (const pkg of linked) {
    mkdirSync(dirname(join(modules, pkg)), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules', pkg), join(modules, pkg), 'dir');
  }
  for (const file of readdirSync(CONSUMER)) {
    cpSync(join(CONSUMER, file), join(project, file));
  }
  return project;
}

/** tsc's report for a consumer project ('' when it compiles). */
function compile(project: string, tsconfig: string): Promise<string> {
  return run(process.execPath, [TSC, '-p', tsconfig], { cwd: project }).then(
    () => '',
    (error: { stdout?: string; message: string }) => error.stdout || error.message,
  );
}

describe('the packed package', () => {
  let work: string;
  let packed: PackResult;
  let project: string;
  let withoutIoredis: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'nestjs-session-multi-pack-'));
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', work], {
      cwd: ROOT,
      maxBuffer: 16 * 1024 * 1024,
    });
    packed = (JSON.parse(stdout) as PackResult[])[0]!;

    await run('tar', ['-xzf', join(work, packed.filename), '-C', work]);
    project = makeConsumer(work, 'consumer', LINKED);
    withoutIoredis = makeConsumer(
      work,
      'consumer-without-ioredis',
      LINKED.filter((name) => name !== 'ioredis'),
    );
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
      expect(await compile(project, tsconfig)).toBe('');
    },
    HOOK_TIMEOUT_MS,
  );

  describe('when ioredis (an optional peer dependency) is not installed', () => {
    it('should have no declaration file that imports a package a consumer may not have', () => {
      const manifest = JSON.parse(
        readFileSync(join(work, 'package', 'package.json'), 'utf8'),
      ) as Manifest;
      const declarations = packed.files
        .map((f) => f.path)
        .filter((path) => path.endsWith('.d.ts'))
        .map((path) => ({ path, text: readFileSync(join(work, 'package', path), 'utf8') }));
      expect(declarations.length).toBeGreaterThan(20);
      expect(optionalImports(declarations, alwaysInstalled(manifest))).toEqual([]);
    });

    it('should hide ioredis from the consumer (a check on the set-up)', () => {
      const resolve = createRequire(join(withoutIoredis, 'index.js')).resolve;
      expect(() => resolve('ioredis')).toThrow(/Cannot find module/);
      expect(() => resolve('redis')).toThrow(/Cannot find module/);
    });

    it(
      'should type a cookie-only consumer with strict and skipLibCheck off',
      async () => {
        expect(await compile(withoutIoredis, 'tsconfig.cookie-only.json')).toBe('');
      },
      HOOK_TIMEOUT_MS,
    );
  });

  describe('the optional-import check', () => {
    const allowed = alwaysInstalled({
      dependencies: { cookie: '1' },
      peerDependencies: { '@nestjs/common': '12', ioredis: '6' },
      peerDependenciesMeta: { ioredis: { optional: true } },
    });

    it('should flag optional peers and undeclared packages in every import form', () => {
      expect(
        optionalImports(
          [
            { path: 'a.d.ts', text: "import type { Redis } from 'ioredis';" },
            { path: 'b.d.ts', text: "export type M = typeof import('ioredis');" },
            { path: 'c.d.ts', text: "export { createClient } from 'redis';" },
            { path: 'd.d.ts', text: "import type { RedisClientType } from '@redis/client/dist';" },
            { path: 'e.d.ts', text: '/// <reference types="ioredis" />\nexport {};' },
          ],
          allowed,
        ),
      ).toEqual([
        'a.d.ts: ioredis',
        'b.d.ts: ioredis',
        'c.d.ts: redis',
        'd.d.ts: @redis/client',
        'e.d.ts: @types/ioredis',
      ]);
    });

    it('should allow the dependencies, required peers, Node builtins and relative files', () => {
      expect(
        optionalImports(
          [
            {
              path: 'f.d.ts',
              text: [
                '/// <reference types="node" />',
                "import type { Injectable } from '@nestjs/common';",
                "import type { SerializeOptions } from 'cookie';",
                "import type { ConnectionOptions } from 'node:tls';",
                "import type { SrvRecord } from 'dns';",
                "export * from './stores/redis.store';",
              ].join('\n'),
            },
          ],
          allowed,
        ),
      ).toEqual([]);
    });
  });
});
