import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { formatEnvelope, parseEnvelope, type FileEnvelope } from '../../src/stores/file-envelope';
import { jsonText, jsonValue, pollutingObject, prototypesUntouched } from './cookie-arbitraries';
import { checkProperty, FUZZ_TIMEOUT_MS } from './fuzz-config';

/**
 * What `readEnvelope` makes of a file holding `text`: the file is written and read as UTF-8 (a
 * lone surrogate comes back as U+FFFD), then parsed. The disk itself is left out: opening, reading
 * and removing files is covered in test/unit/stores/file-envelope.spec.ts, and a file per case
 * would make 100,000 cases a matter of many minutes.
 */
function readText(text: string): FileEnvelope | undefined {
  return parseEnvelope(Buffer.from(text, 'utf8').toString('utf8'));
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

describe('parseEnvelope (fuzz)', () => {
  describe('when the file holds anything at all', () => {
    it(
      'should never throw, and return either no envelope or a well-formed one',
      async () => {
        await checkProperty(
          'file envelope: no throw for any file content',
          fc.property(
            fc.oneof(
              fc.string({ unit: 'binary', maxLength: 200 }),
              jsonValue.map((v) => JSON.stringify(v)),
              envelopeShaped.map((e) => JSON.stringify(e)),
            ),
            (text) => {
              const envelope = readText(text);
              return envelope === undefined || isEnvelope(envelope);
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
          fc.property(envelopeShaped, (shaped) => {
            const text = JSON.stringify(shaped);
            const parsed = JSON.parse(text) as Record<string, unknown>;
            const { expires, value } = parsed;
            const expected =
              (expires === null || (typeof expires === 'number' && Number.isFinite(expires))) &&
              typeof value === 'string';
            return (readText(text) !== undefined) === expected;
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
          fc.property(pollutingObject, fc.boolean(), (node, valid) => {
            const fields = jsonText(node).slice(1, -1);
            const text = valid ? `{${fields},"expires":null,"value":"v"}` : jsonText(node);
            const envelope = readText(text);
            if (envelope !== undefined) {
              Object.assign({}, envelope);
            }
            return (
              prototypesUntouched() &&
              (!valid || isDeepStrictEqual(envelope, { expires: null, value: 'v' }))
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
          fc.property(
            fc.oneof(
              fc.constant(null),
              fc.integer(),
              fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (n === 0 ? 0 : n)),
            ),
            fc.string({ unit: 'binary', maxLength: 200 }),
            (expires, value) => {
              const envelope: FileEnvelope = { expires, value };
              // JSON escapes lone surrogates, so even those survive the UTF-8 file exactly.
              return isDeepStrictEqual(readText(formatEnvelope(envelope)), envelope);
            },
          ),
        );
      },
      FUZZ_TIMEOUT_MS,
    );
  });
});
