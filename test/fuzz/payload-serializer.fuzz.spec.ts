import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { JSON_SERIALIZER } from '../../src/session/serializer';
import {
  decodePayload,
  encodePayload,
  PAYLOAD_VERSION,
  type SessionPayload,
} from '../../src/stores/payload-serializer';
import {
  jsonText,
  jsonValue,
  pollutingObject,
  prototypesUntouched,
  sessionData,
} from './cookie-arbitraries';
import { checkProperty, FUZZ_TIMEOUT_MS } from './fuzz-config';

/** A field value of any JSON type, weighted towards the ones the decoder checks for. */
const field = fc.oneof(
  { weight: 3, arbitrary: fc.integer() },
  { weight: 2, arbitrary: fc.double() },
  { weight: 2, arbitrary: jsonValue },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

/** `{ m, c, v, t?, x? }` with each field right, wrong or missing, plus stray fields. */
const payloadShaped = fc.record(
  {
    m: fc.oneof(sessionData, jsonValue),
    c: field,
    v: fc.oneof(fc.constant(PAYLOAD_VERSION), field),
    t: field,
    x: field,
    extra: jsonValue,
  },
  { requiredKeys: [] },
);

function isSeconds(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value);
}

/** What decodePayload must accept, written independently of it. */
function shouldAccept(value: Record<string, unknown>): boolean {
  const { m, c, v, t, x } = value;
  return (
    v === PAYLOAD_VERSION &&
    m !== null &&
    typeof m === 'object' &&
    !Array.isArray(m) &&
    isSeconds(c) &&
    (t === undefined || (isSeconds(t) && (t as number) > 0)) &&
    (x === undefined || isSeconds(x))
  );
}

describe('decodePayload (fuzz)', () => {
  describe('when the stored text is anything at all', () => {
    it(
      'should return a result and never throw',
      async () => {
        await checkProperty(
          'stored payload: no throw for any text',
          fc.property(
            fc.oneof(
              fc.string({ unit: 'binary', maxLength: 200 }),
              jsonValue.map((v) => JSON.stringify(v)),
              payloadShaped.map((p) => JSON.stringify(p)),
            ),
            (text) => {
              const decoded = decodePayload(text, JSON_SERIALIZER);
              return decoded.ok || decoded.cause !== undefined;
            },
          ),
        );
      },
      FUZZ_TIMEOUT_MS,
    );
  });

  describe('when the stored text is payload-shaped with fields right, wrong or missing', () => {
    it(
      'should accept exactly the well-formed payloads',
      async () => {
        await checkProperty(
          'stored payload: only well-formed payloads are accepted',
          fc.property(payloadShaped, (shaped) => {
            const text = JSON.stringify(shaped);
            const parsed = JSON.parse(text) as Record<string, unknown>;
            return decodePayload(text, JSON_SERIALIZER).ok === shouldAccept(parsed);
          }),
        );
      },
      FUZZ_TIMEOUT_MS,
    );
  });

  describe('when the payload or its data has __proto__, constructor or prototype keys', () => {
    it(
      'should leave every shared prototype untouched and keep no __proto__ in the data',
      async () => {
        await checkProperty(
          'stored payload: no prototype is polluted',
          fc.property(pollutingObject, pollutingObject, (data, outer) => {
            const inner = jsonText(data);
            const wrapped = jsonText(outer).slice(1, -1);
            const text = `{${wrapped},"m":${inner},"c":1,"v":${PAYLOAD_VERSION}}`;
            const decoded = decodePayload(text, JSON_SERIALIZER);
            if (decoded.ok) {
              Object.assign({}, decoded.payload.m, decoded.payload);
              if (
                Object.hasOwn(decoded.payload.m, '__proto__') ||
                Object.getPrototypeOf(decoded.payload.m) !== Object.prototype
              ) {
                return false;
              }
            }
            return prototypesUntouched();
          }),
        );
      },
      FUZZ_TIMEOUT_MS,
    );
  });

  describe('when a payload is encoded and decoded again', () => {
    it(
      'should give back exactly the payload',
      async () => {
        const seconds = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }));
        await checkProperty(
          'stored payload: a round trip is exact',
          fc.property(
            sessionData,
            seconds,
            fc.option(fc.double({ min: Number.MIN_VALUE, noNaN: true, noDefaultInfinity: true }), {
              nil: undefined,
            }),
            fc.option(seconds, { nil: undefined }),
            (m, c, t, x) => {
              const payload: SessionPayload = { m, c: c === 0 ? 0 : c, v: PAYLOAD_VERSION };
              if (t !== undefined) {
                payload.t = t;
              }
              if (x !== undefined) {
                payload.x = x === 0 ? 0 : x;
              }
              const decoded = decodePayload(
                encodePayload(payload, JSON_SERIALIZER),
                JSON_SERIALIZER,
              );
              return decoded.ok && isDeepStrictEqual(decoded.payload, payload);
            },
          ),
        );
      },
      FUZZ_TIMEOUT_MS,
    );
  });
});
