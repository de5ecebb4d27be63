import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';
import { moduleSpecifiers, packageOf } from '../support/module-specifiers';

const ROOT = process.cwd();
const SRC = join(ROOT, 'src');
/** The only file allowed to load ioredis (an optional peer dependency). */
const REDIS_STORE = 'src/stores/redis.store.ts';

interface PackageJson {
  main?: string;
  types?: string;
  files?: string[];
  exports?: Record<string, unknown>;
  scripts?: Record<string, string>;
  engines?: Record<string, string>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as PackageJson;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      return sourceFiles(path);
    }
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** String literals in code (never comments) whose whole text names a module, e.g. 'ioredis'. */
function literalsNaming(fileName: string, text: string, pkg: string): number {
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  let count = 0;
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteralLike(node) && (node.text === pkg || node.text.startsWith(`${pkg}/`))) {
      count++;
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return count;
}

interface SourceFile {
  path: string;
  text: string;
}

/** Files other than REDIS_STORE that import ioredis or name it in a string (e.g. require(name)). */
function ioredisOffenders(sources: SourceFile[]): string[] {
  return sources
    .filter((f) => f.path !== REDIS_STORE)
    .filter(
      (f) =>
        moduleSpecifiers(f.path, f.text).some((s) => packageOf(s) === 'ioredis') ||
        literalsNaming(f.path, f.text, 'ioredis') > 0,
    )
    .map((f) => f.path);
}

const files: SourceFile[] = sourceFiles(SRC).map((path) => ({
  path: relative(ROOT, path).split(sep).join('/'),
  text: readFileSync(path, 'utf8'),
}));

describe('package manifest', () => {
  describe('the import scanner', () => {
    const sample = [
      "import { a } from 'pkg-a';",
      "import type { B } from '@scope/pkg-b/deep';",
      "export { c } from 'pkg-c';",
      "import d = require('pkg-d');",
      "const e = await import('pkg-e');",
      "const f = require('pkg-f');",
      "type G = typeof import('pkg-g');",
      "import './relative';",
      "import { readFileSync } from 'node:fs';",
      "import { join } from 'path';",
      "// import { x } from 'in-a-comment';",
      "const s = 'not-an-import';",
    ].join('\n');

    it('should find every form of import and nothing else', () => {
      expect(moduleSpecifiers('sample.ts', sample)).toEqual([
        'pkg-a',
        '@scope/pkg-b/deep',
        'pkg-c',
        'pkg-d',
        'pkg-e',
        'pkg-f',
        'pkg-g',
        './relative',
        'node:fs',
        'path',
      ]);
    });

    it('should reduce specifiers to package names and skip relative and builtin ones', () => {
      expect(moduleSpecifiers('sample.ts', sample).map(packageOf)).toEqual([
        'pkg-a',
        '@scope/pkg-b',
        'pkg-c',
        'pkg-d',
        'pkg-e',
        'pkg-f',
        'pkg-g',
        undefined,
        undefined,
        undefined,
      ]);
    });

    it('should count string literals naming a module, but not comments', () => {
      const text =
        "// 'ioredis'\nconst load = (m: string) => m;\nload('ioredis');\nload(\"ioredis/built\");";
      expect(literalsNaming('x.ts', text, 'ioredis')).toBe(2);
    });
  });

  describe('src/', () => {
    it('should be scanned (a sanity check on the file walk)', () => {
      expect(files.length).toBeGreaterThan(20);
      const all = new Set(files.flatMap((f) => moduleSpecifiers(f.path, f.text).map(packageOf)));
      expect(all).toContain('@nestjs/common');
      expect(all).toContain('cookie');
    });

    it('should import only packages listed in dependencies or peerDependencies', () => {
      const declared = new Set([
        ...Object.keys(manifest.dependencies ?? {}),
        ...Object.keys(manifest.peerDependencies ?? {}),
      ]);
      const undeclared = files.flatMap((f) =>
        moduleSpecifiers(f.path, f.text)
          .map(packageOf)
          .filter((pkg): pkg is string => pkg !== undefined && !declared.has(pkg))
          .map((pkg) => `${f.path}: ${pkg}`),
      );
      expect(undeclared).toEqual([]);
    });

    it(`should load ioredis from ${REDIS_STORE} only`, () => {
      expect(ioredisOffenders(files)).toEqual([]);
    });
  });

  describe('the ioredis rule', () => {
    it('should flag a type import, a dynamic import and a load by name outside the store', () => {
      expect(
        ioredisOffenders([
          { path: 'src/stores/options.ts', text: "import type { RedisOptions } from 'ioredis';" },
          { path: 'src/a.ts', text: "export const m = () => import('ioredis');" },
          {
            path: 'src/b.ts',
            text: "declare const load: (m: string) => unknown; load('ioredis');",
          },
          { path: 'src/c.ts', text: '// mentions ioredis in a comment only' },
          { path: REDIS_STORE, text: "import type { Redis } from 'ioredis';" },
        ]),
      ).toEqual(['src/stores/options.ts', 'src/a.ts', 'src/b.ts']);
    });
  });

  describe('package.json', () => {
    it('should declare ioredis as an optional peer dependency, not a dependency', () => {
      expect(manifest.dependencies?.['ioredis']).toBeUndefined();
      expect(manifest.peerDependencies?.['ioredis']).toBeDefined();
      expect(manifest.peerDependenciesMeta?.['ioredis']?.optional).toBe(true);
    });

    it('should build before packing and publish dist only', () => {
      expect(manifest.scripts?.['prepack']).toBe('npm run build');
      // The README links into docs/ and CHANGELOG.md, so they ship too.
      expect(manifest.files).toEqual(['dist', 'docs', 'CHANGELOG.md']);
      expect(existsSync(join(ROOT, 'LICENSE'))).toBe(true);
    });

    it('should point main, types and the exports map at the build', () => {
      expect(manifest.main).toBe('dist/index.js');
      expect(manifest.types).toBe('dist/index.d.ts');
      expect(manifest.exports).toEqual({
        '.': {
          types: './dist/index.d.ts',
          require: './dist/index.js',
          default: './dist/index.js',
        },
        './package.json': './package.json',
      });
    });

    it('should require the Node.js versions Nest 12 runs on, with require(esm) unflagged', () => {
      expect(manifest.engines?.['node']).toBe('>=22.12.0');
    });

    it('should build declarations that keep what public ones reference', () => {
      const build = JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8')) as {
        compilerOptions?: Record<string, unknown>;
      };
      expect(build.compilerOptions?.['stripInternal']).not.toBe(true);
    });

    it('should declare the Nest packages, reflect-metadata and rxjs as peer dependencies', () => {
      for (const peer of ['@nestjs/common', '@nestjs/core', 'reflect-metadata', 'rxjs']) {
        expect(manifest.peerDependencies?.[peer]).toBeDefined();
        expect(manifest.dependencies?.[peer]).toBeUndefined();
      }
    });
  });
});
