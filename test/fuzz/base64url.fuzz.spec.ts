import fc from 'fast-check';
import { decodeBase64url } from '../../src/crypto/base64url';
import { base64urlIsh, mutate, mutations } from './cookie-arbitraries';
import { checkProperty, FUZZ_TIMEOUT_MS } from './fuzz-config';

describe('decodeBase64url (fuzz)', () => {
  describe('when any text decodes', () => {
    it(
      'should be the one text Node writes for those bytes',
      async () => {
        await checkProperty(
          'base64url: one text per byte string',
          fc.property(
            fc.oneof(base64urlIsh, fc.string({ unit: 'binary', maxLength: 100 })),
            (text) => {
              const bytes = decodeBase64url(text);
              return bytes === undefined || bytes.toString('base64url') === text;
            },
          ),
        );
      },
      FUZZ_TIMEOUT_MS,
    );
  });

  describe('when a valid text is mutated into one Node still decodes to the same bytes', () => {
    it(
      'should refuse the mutated text',
      async () => {
        await checkProperty(
          'base64url: lax twins are refused',
          fc.property(fc.uint8Array({ maxLength: 64 }), mutations, (raw, ms) => {
            const text = Buffer.from(raw).toString('base64url');
            const twin = ms.reduce(mutate, text);
            const laxSame =
              twin !== text && Buffer.from(twin, 'base64url').equals(Buffer.from(raw));
            return !laxSame || decodeBase64url(twin) === undefined;
          }),
        );
      },
      FUZZ_TIMEOUT_MS,
    );
  });

  describe('when bytes are encoded and decoded', () => {
    it(
      'should give back the bytes',
      async () => {
        await checkProperty(
          'base64url: a round trip is exact',
          fc.property(
            fc.uint8Array({ maxLength: 200 }),
            (raw) =>
              decodeBase64url(Buffer.from(raw).toString('base64url'))?.equals(Buffer.from(raw)) ===
              true,
          ),
        );
      },
      FUZZ_TIMEOUT_MS,
    );
  });
});
