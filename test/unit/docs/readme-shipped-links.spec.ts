import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

const ROOT = process.cwd();

/** Files npm packs whatever `files` says. */
const ALWAYS_PACKED = ['README.md', 'LICENSE', 'package.json'];

/** Relative link targets (without the anchor) outside fenced code blocks and code spans. */
function relativeLinks(markdown: string): { line: number; path: string }[] {
  const links: { line: number; path: string }[] = [];
  let fenced = false;
  markdown.split('\n').forEach((text, index) => {
    if (/^\s*(```|~~~)/.test(text)) {
      fenced = !fenced;
      return;
    }
    if (fenced) {
      return;
    }
    const prose = text.replace(/`[^`]*`/g, '');
    for (const match of prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      const target = match[1]!;
      if (!/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith('//')) {
        const path = target.split('#', 1)[0]!;
        if (path !== '') {
          links.push({ line: index + 1, path: normalize(decodeURI(path)) });
        }
      }
    }
  });
  return links;
}

function isPacked(path: string, files: readonly string[]): boolean {
  return [...ALWAYS_PACKED, ...files].some(
    (entry) => path === normalize(entry) || path.startsWith(`${normalize(entry)}/`),
  );
}

/** The Markdown files under docs/, relative to the repository root. */
function docsPages(dir = 'docs'): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? docsPages(join(dir, entry.name))
      : entry.name.endsWith('.md')
        ? [join(dir, entry.name)]
        : [],
  );
}

// README.md is the package's page on npm, read next to the installed files, and docs/ ships with
// it: a link into sample/, scripts/, test/ or bench/ would lead nowhere there.
describe('README.md and docs/ links in the published package', () => {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    files: string[];
  };
  const links = relativeLinks(readFileSync(join(ROOT, 'README.md'), 'utf8'));

  it('should point every relative link at a file npm packs', () => {
    expect(links.length).toBeGreaterThan(5);
    const unpacked = links
      .filter((link) => !isPacked(link.path, manifest.files))
      .map((link) => `README.md:${link.line} ${link.path}`);
    expect(unpacked).toEqual([]);
  });

  it('should point every relative link of docs/ at a file npm packs', () => {
    const unpacked = docsPages().flatMap((page) =>
      relativeLinks(readFileSync(join(ROOT, page), 'utf8'))
        .map((link) => ({ ...link, path: relative(ROOT, join(ROOT, dirname(page), link.path)) }))
        .filter((link) => !isPacked(link.path, manifest.files))
        .map((link) => `${page}:${link.line} ${link.path}`),
    );
    expect(unpacked).toEqual([]);
  });

  describe('relativeLinks', () => {
    it('should read links in prose and skip code, anchors and external addresses', () => {
      const markdown = [
        'See [stores](docs/stores.md#client), [the sample](sample/src) and <https://nestjs.com>.',
        '`[not a link](test/x.ts)` [site](https://example.com) [here](#install)',
        '```ts',
        "const s = '[x](bench/README.md)';",
        '```',
      ].join('\n');
      expect(relativeLinks(markdown)).toEqual([
        { line: 1, path: 'docs/stores.md' },
        { line: 1, path: 'sample/src' },
      ]);
    });
  });

  describe('isPacked', () => {
    it.each([
      ['docs/stores.md', true],
      ['CHANGELOG.md', true],
      ['LICENSE', true],
      ['sample/src', false],
      ['scripts/test-prerequisites.sh', false],
      ['docsets/x.md', false],
    ])('should say %s is packed: %s', (path, packed) => {
      expect(isPacked(path, ['dist', 'docs', 'CHANGELOG.md'])).toBe(packed);
    });
  });
});
