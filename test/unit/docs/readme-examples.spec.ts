import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const ROOT = process.cwd();
/** Where the examples are compiled, as if they were files of an application beside the repository. */
const EXAMPLES = join(ROOT, '.readme-examples');

interface Example {
  /** The file name from the block's `// name.ts` first line, or `example-N.ts`. */
  name: string;
  line: number;
  code: string;
}

/**
 * Every fenced `ts` block of a Markdown text. A block that starts with a `// name.ts` comment is
 * that file, so another block can import it (`import { AppModule } from './app.module'`).
 */
function typescriptBlocks(markdown: string): Example[] {
  const examples: Example[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i]!)) {
      continue;
    }
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^```\s*$/.test(lines[end]!)) {
      end++;
    }
    const code = lines.slice(start, end).join('\n');
    const named = /^\/\/ ([\w.-]+\.ts)\s*$/.exec(lines[start] ?? '')?.[1];
    examples.push({ name: named ?? `example-${examples.length + 1}.ts`, line: start, code });
    i = end;
  }
  return examples;
}

/** The repository's compiler options (strict and the rest), with the package name mapped to src/. */
function compilerOptions(): ts.CompilerOptions {
  const file = join(ROOT, 'tsconfig.json');
  const read = ts.readConfigFile(file, (path) => ts.sys.readFile(path));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, ROOT, undefined, file);
  return {
    ...parsed.options,
    noEmit: true,
    declaration: false,
    sourceMap: false,
    types: ['node'],
    paths: { 'nestjs-session-multi': [join(ROOT, 'src/index.ts')] },
  };
}

/** Compiles the examples together, each as its own file; returns the diagnostics in them. */
function compileExamples(examples: Example[]): string[] {
  const files = new Map(examples.map((e) => [join(EXAMPLES, e.name), e]));
  const options = compilerOptions();
  const host = ts.createCompilerHost(options);
  const { fileExists, directoryExists, readFile, getSourceFile } = host;
  host.fileExists = (path) => files.has(path) || fileExists.call(host, path);
  host.directoryExists = (path) => path === EXAMPLES || (directoryExists?.call(host, path) ?? true);
  host.readFile = (path) => files.get(path)?.code ?? readFile.call(host, path);
  host.getSourceFile = (path, language, onError, create) => {
    const example = files.get(path);
    return example === undefined
      ? getSourceFile.call(host, path, language, onError, create)
      : ts.createSourceFile(path, example.code, language, true);
  };
  const program = ts.createProgram([...files.keys()], options, host);
  return [...files].flatMap(([path, example]) => {
    const source = program.getSourceFile(path)!;
    return [
      ...program.getSyntacticDiagnostics(source),
      ...program.getSemanticDiagnostics(source),
    ].map((d) => {
      const at = d.start === undefined ? 0 : source.getLineAndCharacterOfPosition(d.start).line;
      const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      return `README.md:${example.line + at + 1} (${example.name}): ${text}`;
    });
  });
}

describe('README.md TypeScript examples', () => {
  const examples = typescriptBlocks(readFileSync(join(ROOT, 'README.md'), 'utf8'));

  it('should find the examples, each file named once', () => {
    expect(examples.length).toBeGreaterThanOrEqual(3);
    const names = examples.map((e) => e.name);
    expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
  });

  it('should compile under the repository compiler options, imports included', () => {
    expect(compileExamples(examples)).toEqual([]);
  });

  describe('when an example leaves out an import', () => {
    it('should report the undefined name on its README line', () => {
      const broken = typescriptBlocks(
        ['# Page', '', '```ts', '@Module({})', 'export class AppModule {}', '```', ''].join('\n'),
      );
      expect(compileExamples(broken)).toEqual([
        expect.stringMatching(/^README\.md:4 \(example-1\.ts\): Cannot find name 'Module'/),
      ]);
    });
  });
});
