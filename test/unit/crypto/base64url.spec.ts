import { randomBytes } from 'node:crypto';
import { base64urlLength, decodeBase64url } from '../../../src/crypto/base64url';

describe('decodeBase64url', () => {
  describe('when the text is what Buffer#toString("base64url") writes', () => {
    it.each([0, 1, 2, 3, 4, 31, 32, 33, 64])('should decode %i bytes back exactly', (size) => {
      const bytes = randomBytes(size);
      expect(decodeBase64url(bytes.toString('base64url'))).toEqual(bytes);
    });
  });

  describe('when the text has a character outside the base64url alphabet', () => {
    const text = Buffer.from('session data!').toString('base64url');

    it.each([
      ['a base64 "+"', '+'],
      ['a base64 "/"', '/'],
      ['padding', '='],
      ['a space', ' '],
      ['a dot', '.'],
      ['a NUL', '\0'],
      ['a Latin-1 letter', 'é'],
    ])('should refuse %s', (_case, char) => {
      expect(decodeBase64url(`${text.slice(0, 4)}${char}${text.slice(5)}`)).toBeUndefined();
    });

    it('should refuse U+0100+c at every position, which Node reads as c', () => {
      for (let i = 0; i < text.length; i++) {
        const wide = String.fromCharCode(0x100 + text.charCodeAt(i));
        const mutated = `${text.slice(0, i)}${wide}${text.slice(i + 1)}`;
        expect(Buffer.from(mutated, 'base64url')).toEqual(Buffer.from(text, 'base64url'));
        expect(decodeBase64url(mutated)).toBeUndefined();
      }
    });

    it('should refuse trailing padding that Node ignores', () => {
      expect(decodeBase64url('YQ==')).toBeUndefined();
      expect(decodeBase64url('YQ')).toEqual(Buffer.from('a'));
    });
  });

  describe('when the length or the last character cannot come from any bytes', () => {
    it('should refuse a dangling character (length 4n + 1)', () => {
      expect(decodeBase64url('YWJjZ')).toBeUndefined();
      expect(decodeBase64url('A')).toBeUndefined();
    });

    it('should refuse non-zero unused bits in the last character', () => {
      // "YQ" is "a"; "YR" to "Yf" differ only in the 4 unused bits.
      expect(decodeBase64url('YR')).toBeUndefined();
      expect(decodeBase64url('Yf')).toBeUndefined();
      // "YWI" is "ab"; "YWJ" differs only in the 2 unused bits.
      expect(decodeBase64url('YWI')).toEqual(Buffer.from('ab'));
      expect(decodeBase64url('YWJ')).toBeUndefined();
    });
  });
});

describe('base64urlLength', () => {
  describe('when given a byte count', () => {
    it('should give the unpadded text length Node writes', () => {
      for (const size of [0, 1, 2, 3, 32, 48, 64]) {
        expect(base64urlLength(size)).toBe(Buffer.alloc(size).toString('base64url').length);
      }
    });
  });
});
