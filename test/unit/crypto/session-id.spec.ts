import { jest } from '@jest/globals';
import * as realCrypto from 'node:crypto';

const randomBytes = jest.fn(realCrypto.randomBytes);
jest.unstable_mockModule('node:crypto', () => ({ ...realCrypto, randomBytes }));

let ids: typeof import('../../../src/crypto/session-id');

beforeAll(async () => {
  ids = await import('../../../src/crypto/session-id');
});

describe('generateSessionId', () => {
  describe('when called', () => {
    it('should draw 32 bytes from crypto.randomBytes', () => {
      randomBytes.mockClear();
      ids.generateSessionId();
      expect(randomBytes).toHaveBeenCalledWith(32);
    });

    it('should return 43 base64url characters', () => {
      expect(ids.generateSessionId()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    });

    it('should return the randomBytes output, base64url-encoded', () => {
      const fixed = Buffer.alloc(32, 7);
      randomBytes.mockReturnValueOnce(fixed as never);
      expect(ids.generateSessionId()).toBe(fixed.toString('base64url'));
    });
  });

  describe('when called many times', () => {
    it('should never repeat an id', () => {
      const seen = new Set<string>();
      for (let i = 0; i < 20000; i++) {
        seen.add(ids.generateSessionId());
      }
      expect(seen.size).toBe(20000);
    });
  });
});

describe('isPlausibleSessionId', () => {
  describe('when given an id we generated', () => {
    it('should accept it', () => {
      expect(ids.isPlausibleSessionId(ids.generateSessionId())).toBe(true);
    });
  });

  describe('when given ids at the length bounds', () => {
    it('should accept 22 and 128 characters', () => {
      expect(ids.isPlausibleSessionId('a'.repeat(22))).toBe(true);
      expect(ids.isPlausibleSessionId('a'.repeat(128))).toBe(true);
    });

    it('should reject 21 and 129 characters', () => {
      expect(ids.isPlausibleSessionId('a'.repeat(21))).toBe(false);
      expect(ids.isPlausibleSessionId('a'.repeat(129))).toBe(false);
    });
  });

  describe('when given hostile or malformed input', () => {
    it.each([
      ['a path separator', `${'a'.repeat(24)}/x`],
      ['a backslash', `${'a'.repeat(24)}\\x`],
      ['a dot-dot', `..${'a'.repeat(24)}`],
      ['an encoded dot', `%2e${'a'.repeat(24)}`],
      ['a NUL byte', `${'a'.repeat(24)}\u0000`],
      ['a space', `${'a'.repeat(12)} ${'a'.repeat(12)}`],
      ['an empty string', ''],
      ['1240 characters', 'a'.repeat(1240)],
      ['a newline at the end', `${'a'.repeat(24)}\n`],
    ])('should reject %s', (_case, id) => {
      expect(ids.isPlausibleSessionId(id)).toBe(false);
    });

    it.each([[undefined], [null], [42], [{}], [['a'.repeat(30)]]])(
      'should reject the non-string %p',
      (value) => {
        expect(ids.isPlausibleSessionId(value)).toBe(false);
      },
    );
  });
});
