import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

/**
 * Dependencies point one way: module → request → factories → stores → session, crypto; debug sits
 * beside module. The plain layers import nothing from Nest.
 */
const RANK: Record<string, number> = {
  crypto: 0,
  session: 0,
  stores: 1,
  factories: 2,
  request: 3,
  module: 4,
  debug: 5,
};
const PLAIN = new Set(['crypto', 'session', 'stores', 'factories']);
const SRC = resolve(process.cwd(), 'src');

export interface ImportEdge {
  file: string;
  specifier: string;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? filesUnder(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

function importsOf(file: string): ImportEdge[] {
  const text = readFileSync(file, 'utf8');
  const found = text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/g);
  return [...found].map((m) => ({ file: relative(SRC, file), specifier: m[1]! }));
}

function layerOf(pathFromSrc: string): string | undefined {
  const [first, ...rest] = pathFromSrc.split(sep);
  return rest.length > 0 ? first : undefined;
}

/** The rule broken by one import, or undefined when it points the right way. */
export function violation(edge: ImportEdge): string | undefined {
  const from = layerOf(edge.file);
  if (from === undefined) {
    return undefined; // src/index.ts re-exports every layer
  }
  if (edge.specifier.startsWith('@nestjs/')) {
    return PLAIN.has(from)
      ? `${edge.file} imports ${edge.specifier}: ${from}/ must not depend on Nest`
      : undefined;
  }
  if (!edge.specifier.startsWith('.')) {
    return undefined;
  }
  const target = relative(SRC, resolve(SRC, edge.file, '..', edge.specifier));
  const to = layerOf(target);
  if (to === undefined || to === from) {
    return target === 'index' ? `${edge.file} imports the public barrel` : undefined;
  }
  const fromRank = RANK[from];
  const toRank = RANK[to];
  if (fromRank === undefined || toRank === undefined) {
    return `${edge.file}: unknown layer ${fromRank === undefined ? from : to}/`;
  }
  return toRank >= fromRank && !(fromRank === 0 && toRank === 0)
    ? `${edge.file} imports ${edge.specifier}: ${from}/ may not depend on ${to}/`
    : undefined;
}

describe('src/ layers', () => {
  it('should have every import point down the layers', () => {
    const problems = filesUnder(SRC)
      .flatMap(importsOf)
      .map(violation)
      .filter((v): v is string => v !== undefined);
    expect(problems).toEqual([]);
  });

  describe('when an import runs back up the layers', () => {
    it.each([
      ['stores/memory.store.ts', '../module/session-registry', 'stores/ may not depend on module/'],
      [
        'request/session-container.ts',
        '../module/session-registry',
        'request/ may not depend on module/',
      ],
      [
        'factories/server-session.factory.ts',
        '@nestjs/common',
        'factories/ must not depend on Nest',
      ],
      [
        'session/session.ts',
        '../factories/cookie-options',
        'session/ may not depend on factories/',
      ],
    ])('should report %s importing %s', (file, specifier, rule) => {
      expect(violation({ file: file.split('/').join(sep), specifier })).toContain(rule);
    });
  });
});
