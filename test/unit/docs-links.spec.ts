import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const ROOT = process.cwd();

/** README.md and every Markdown page under docs/, as repository-relative paths. */
function documentationFiles(): string[] {
  const files = ['README.md'];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        walk(path);
      } else if (entry.name.endsWith('.md')) {
        files.push(path);
      }
    }
  };
  if (existsSync(join(ROOT, 'docs'))) {
    walk('docs');
  }
  return files.sort();
}

/** The file's lines outside fenced code blocks, with their 1-based line numbers. */
function proseLines(text: string): { line: number; text: string }[] {
  const lines: { line: number; text: string }[] = [];
  let fence: string | undefined;
  text.split('\n').forEach((content, index) => {
    const marker = /^\s*(`{3,}|~{3,})/.exec(content)?.[1];
    if (marker !== undefined) {
      if (fence === undefined) {
        fence = marker[0];
      } else if (marker[0] === fence) {
        fence = undefined;
      }
      return;
    }
    if (fence === undefined) {
      lines.push({ line: index + 1, text: content });
    }
  });
  return lines;
}

interface Heading {
  level: number;
  text: string;
  line: number;
}

function headings(text: string): Heading[] {
  return proseLines(text).flatMap(({ line, text: content }) => {
    const match = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(content);
    return match === null ? [] : [{ level: match[1]!.length, text: match[2]!, line }];
  });
}

/**
 * GitHub's anchor for a heading: the rendered text (inline code, links and emphasis reduced to
 * their text), lower-cased, every character other than letters, digits, `_`, `-` and spaces
 * removed, spaces turned into `-`; a repeated slug gets `-1`, `-2`... in order.
 */
function githubSlug(heading: string): string {
  const rendered = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/`([^`]*)`/g, '$1');
  return rendered
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

function anchorsOf(text: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const { text: heading } of headings(text)) {
    const base = githubSlug(heading);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  // Explicit HTML anchors (<a id="..."> or name="...").
  for (const match of text.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) {
    anchors.add(match[1]!);
  }
  return anchors;
}

interface Link {
  file: string;
  line: number;
  target: string;
}

/** Inline Markdown links and images outside code (code spans are blanked first). */
function linksOf(file: string, text: string): Link[] {
  return proseLines(text).flatMap(({ line, text: content }) => {
    const withoutCode = content.replace(/`[^`]*`/g, (span) => ' '.repeat(span.length));
    return [...withoutCode.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map(
      (match) => ({ file, line, target: match[1]! }),
    );
  });
}

function isExternal(target: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//');
}

/** What is wrong with a link, or undefined when its file and anchor exist. */
function linkProblem(link: Link): string | undefined {
  const [pathPart, anchor] = link.target.split('#', 2) as [string, string | undefined];
  const from = dirname(join(ROOT, link.file));
  const path = pathPart === '' ? join(ROOT, link.file) : resolve(from, decodeURI(pathPart));
  if (!path.startsWith(ROOT + sep) && path !== ROOT) {
    return 'points outside the repository';
  }
  if (!existsSync(path)) {
    return `"${relative(ROOT, path)}" does not exist`;
  }
  if (anchor === undefined || anchor === '') {
    return undefined;
  }
  if (statSync(path).isDirectory() || !path.endsWith('.md')) {
    return `anchor "#${anchor}" on a file that is not Markdown`;
  }
  const anchors = anchorsOf(readFileSync(path, 'utf8'));
  return anchors.has(decodeURIComponent(anchor))
    ? undefined
    : `no heading in "${relative(ROOT, path)}" has the anchor "#${anchor}"`;
}

/** Headings of one level, across files, that appear more than once: `text -> places`. */
function duplicateHeadings(level: number): Map<string, string[]> {
  const places = new Map<string, string[]>();
  for (const file of documentationFiles()) {
    for (const heading of headings(readFileSync(join(ROOT, file), 'utf8'))) {
      if (heading.level === level) {
        const list = places.get(heading.text) ?? [];
        list.push(`${file}:${heading.line}`);
        places.set(heading.text, list);
      }
    }
  }
  return new Map([...places].filter(([, list]) => list.length > 1));
}

/**
 * The options and methods a heading documents, or an empty list for a prose heading. An option
 * heading is a bare name (`secret`, `memoryStore.size`); a method heading is a name with its
 * arguments (`session.flash(message, { queue, allowDuplicate })`); several may share a heading,
 * separated by commas (`session.keys(), session.values(), session.entries()`).
 */
function subjectsOf(heading: string): string[] {
  const text = heading.replace(/`/g, '');
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if ('({['.includes(char)) {
      depth++;
    } else if (')}]'.includes(char)) {
      depth--;
    } else if (char === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  const subjects: string[] = [];
  for (const part of parts) {
    const subject = /^\s*(@?[\w$]+(?:\.[\w$]+)*)(\(.*\))?\s*$/.exec(part)?.[1];
    if (subject === undefined) {
      return [];
    }
    subjects.push(subject);
  }
  return subjects;
}

/** Options and methods with a heading (level 3 or deeper) in more than one place. */
function subjectsHeadedTwice(): Map<string, string[]> {
  const places = new Map<string, string[]>();
  for (const file of documentationFiles()) {
    for (const heading of headings(readFileSync(join(ROOT, file), 'utf8'))) {
      if (heading.level >= 3) {
        for (const subject of subjectsOf(heading.text)) {
          const list = places.get(subject) ?? [];
          list.push(`${file}:${heading.line} "${heading.text}"`);
          places.set(subject, list);
        }
      }
    }
  }
  return new Map([...places].filter(([, list]) => list.length > 1));
}

/** Every name `src/index.ts` exports. */
function publicExports(): string[] {
  const index = readFileSync(join(ROOT, 'src/index.ts'), 'utf8').replace(/\/\/.*$/gm, '');
  return [...index.matchAll(/export (?:type )?\{([^}]*)\}/g)].flatMap((match) =>
    match[1]!
      .split(',')
      .map((name) => name.replace(/^\s*type\s+/, '').trim())
      .filter((name) => name !== ''),
  );
}

describe('Documentation (README.md and docs/)', () => {
  const files = documentationFiles();

  it('should include the README and at least one docs/ page', () => {
    expect(files).toContain('README.md');
    expect(files.some((f) => f.startsWith('docs/'))).toBe(true);
  });

  describe('githubSlug', () => {
    it.each([
      [
        'session.flash(message, { queue, allowDuplicate })',
        'sessionflashmessage--queue-allowduplicate-',
      ],
      [
        '`@Session()` and the name clash with `@nestjs/common`',
        'session-and-the-name-clash-with-nestjscommon',
      ],
      ['pyramid_session_redis option mapping', 'pyramid_session_redis-option-mapping'],
      ['Store calls per request', 'store-calls-per-request'],
    ])('should turn "%s" into "%s" as GitHub does', (heading, slug) => {
      expect(githubSlug(heading)).toBe(slug);
    });
  });

  describe('when following every relative link and anchor', () => {
    it('should find the file and the heading each one names', () => {
      const broken = files
        .flatMap((file) => linksOf(file, readFileSync(join(ROOT, file), 'utf8')))
        .filter((link) => !isExternal(link.target))
        .flatMap((link) => {
          const problem = linkProblem(link);
          return problem === undefined
            ? []
            : [`${link.file}:${link.line} (${link.target}): ${problem}`];
        });
      expect(broken).toEqual([]);
    });
  });

  describe('when listing the ### option and method headings', () => {
    it('should document each one once across README.md and docs/', () => {
      const duplicates = duplicateHeadings(3);
      const report = [...duplicates].map(([text, where]) => `"${text}" at ${where.join(', ')}`);
      if (report.length > 0) {
        process.stdout.write(`Duplicate ### headings:\n${report.join('\n')}\n`);
      }
      expect(report).toEqual([]);
    });
  });

  describe('subjectsOf', () => {
    it.each([
      ['secret', ['secret']],
      ['session.flash(message, { queue, allowDuplicate })', ['session.flash']],
      [
        'session.keys(), session.values(), session.entries()',
        ['session.keys', 'session.values', 'session.entries'],
      ],
      ['CsrfGuard(namespace, { header, field, safeMethods })', ['CsrfGuard']],
      ['Cookie sessions cannot be revoked', []],
      ['What a request costs', []],
    ])('should read "%s" as %j', (heading, subjects) => {
      expect(subjectsOf(heading)).toEqual(subjects);
    });
  });

  describe('when listing the option and method headings by what they document', () => {
    it('should give each option and method one heading, whatever its level or signature', () => {
      const report = [...subjectsHeadedTwice()].map(
        ([subject, where]) => `${subject}: ${where.join(', ')}`,
      );
      expect(report).toEqual([]);
    });
  });

  describe('when looking up every export of src/index.ts', () => {
    it('should find each one in code or a heading of README.md or a docs/ page', () => {
      const texts = files.map((file) => {
        const text = readFileSync(join(ROOT, file), 'utf8');
        const code = [...text.matchAll(/`[^`\n]+`/g)].map((span) => span[0]);
        return [...code, ...headings(text).map((h) => h.text)].join('\n');
      });
      const exports = publicExports();
      expect(exports.length).toBeGreaterThan(50);
      const undocumented = exports.filter(
        (name) => !texts.some((text) => new RegExp(`\\b${name}\\b`).test(text)),
      );
      expect(undocumented).toEqual([]);
    });
  });
});
