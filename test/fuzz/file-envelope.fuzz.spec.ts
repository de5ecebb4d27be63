import fc from 'fast-check';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import {
  readEnvelope,
  writeTemp,
  type FileEnvelope,
  type FileRead,
} from '../../src/stores/file-envelope';
import { jsonText, jsonValue, pollutingObject, prototypesUntouched } from './cookie-arbitraries';
import { checkProperty, FUZZ_TIMEOUT_MS } from './fuzz-config';

let directory: string;
let file: string;

beforeAll(async () => {
  directory = await fs.mkdtemp(join(tmpdir(), 'fuzz-envelope-'));
  file = join(directory, 'entry');
});

afterAll(async () => {
  await fs.rm(directory, { recursive: true, force: true });
});

/** Writes `text` as the file's whole content and reads it back as the store does. */
async function readText(text: string): Promise<FileRead | undefined> {
  await fs.writeFile(file, text, 'utf8');
  return readEnvelope(file);
}

/** `{ expires, value }` with each field right, wrong or missing, plus a stray field. */
const envelopeShaped = fc.record(
  {
    expires: fc.oneof(fc.constant(null), fc.integer(), fc.double(), jsonValue),
    value: fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), jsonValue),
    extra: jsonValue,
  },
  { requiredKeys: [] },
);

function isEnvelope(envelope: FileEnvelope): boolean {
  const { expires, value } = envelope;
  return (
    Object.keys(envelope).length === 2 &&
    (expires === null || (typeof expires === 'number' && Number.isFinite(expires))) &&
    typeof value === 'string'
  );
}

describe('readEnvelope (fuzz)', () => {
  describe('when the file holds anything at all', () => {
    it(
      'should never throw, and return either no envelope or a well-formed one',
      async () => {
        await checkProperty(
          'file envelope: no throw for any file content',
          fc.asyncProperty(
            fc.oneof(
              fc.string({ unit: 'binary', maxLength: 200 }),
              jsonValue.map((v) => JSON.stringify(v)),
              envelopeShaped.map((e) => JSON.stringify(e)),
            ),
            async (text) => {
              const read = await readText(text);
              return (
                read !== undefined && (read.envelope === undefined || isEnvelope(read.envelope))
              );
            },
          ),
        );
      },
      FUZZ_TIMEOUT_MS,
    );
  });

  describe('when the file holds an envelope-shaped object', () => {
    it(
      'should accept exactly a null or finite expiry with a string value',
      async () => {
        await checkProperty(
          'file envelope: only well-formed envelopes are accepted',
          fc.asyncProperty(envelopeShaped, async (shaped) => {
            const text = JSON.stringify(shaped);
            const parsed = JSON.parse(text) as Record<string, unknown>;
            const { expires, value } = parsed;
            const expected =
              (expires === null || (typeof expires === 'number' && Number.isFinite(expires))) &&
              typeof value === 'string';
            const read = await readText(text);
            return (read?.envelope !== undefined) === expected;
          }),
        );
      },
      FUZZ_TIMEOUT_MS,
    );
  });

  describe('when the file has __proto__, constructor or prototype keys', () => {
    it(
      'should leave every shared prototype untouched',
      async () => {
        await checkProperty(
          'file envelope: no prototype is polluted',
          fc.asyncProperty(pollutingObject, fc.boolean(), async (node, valid) => {
            const fields = jsonText(node).slice(1, -1);
            const text = valid ? `{${fields},"expires":null,"value":"v"}` : jsonText(node);
            const read = await readText(text);
            if (read?.envelope !== undefined) {
              Object.assign({}, read.envelope);
            }
            return (
              prototypesUntouched() &&
              (!valid || isDeepStrictEqual(read?.envelope, { expires: null, value: 'v' }))
            );
          }),
        );
      },
      FUZZ_TIMEOUT_MS,
    );
  });

  describe('when an envelope is written and read back', () => {
    it(
      'should give back exactly the envelope',
      async () => {
        await checkProperty(
          'file envelope: a round trip is exact',
          fc.asyncProperty(
            fc.oneof(
              fc.constant(null),
              fc.integer(),
              fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (n === 0 ? 0 : n)),
            ),
            fc.string({ unit: 'binary', maxLength: 200 }),
            async (expires, value) => {
              const envelope: FileEnvelope = { expires, value };
              const temp = await writeTemp(directory, 'entry', envelope);
              const read = await readEnvelope(temp);
              await fs.unlink(temp);
              return isDeepStrictEqual(read?.envelope, envelope);
            },
          ),
        );
      },
      FUZZ_TIMEOUT_MS,
    );
  });
});
