import { jest } from '@jest/globals';
import * as realCrypto from 'node:crypto';

const randomBytes = jest.fn(realCrypto.randomBytes);
const timingSafeEqual = jest.fn(realCrypto.timingSafeEqual);
jest.unstable_mockModule('node:crypto', () => ({ ...realCrypto, randomBytes, timingSafeEqual }));

let csrf: typeof import('../../../src/session/csrf');

beforeAll(async () => {
  csrf = await import('../../../src/session/csrf');
});

beforeEach(() => {
  randomBytes.mockClear();
  timingSafeEqual.mockClear();
});

describe('newCsrfToken', () => {
  describe('when called', () => {
    it('should store and return 64 hex characters drawn from 32 random bytes', () => {
      const data: Record<string, unknown> = {};
      const token = csrf.newCsrfToken(data);
      expect(token).toMatch(/^[0-9a-f]{64}$/);
      expect(data).toEqual({ _csrft_: token });
      expect(randomBytes).toHaveBeenCalledWith(32);
    });

    it('should hex-encode the randomBytes output', () => {
      randomBytes.mockReturnValueOnce(Buffer.alloc(32, 0xab) as never);
      expect(csrf.newCsrfToken({})).toBe('ab'.repeat(32));
    });

    it('should replace an existing token', () => {
      const data: Record<string, unknown> = { _csrft_: 'old' };
      const token = csrf.newCsrfToken(data);
      expect(token).not.toBe('old');
      expect(data['_csrft_']).toBe(token);
    });
  });
});

describe('getCsrfToken', () => {
  describe('when a token is stored', () => {
    it('should return it without marking the session dirty', () => {
      const markDirty = jest.fn();
      expect(csrf.getCsrfToken({ _csrft_: 'f'.repeat(64) }, markDirty)).toBe('f'.repeat(64));
      expect(markDirty).not.toHaveBeenCalled();
      expect(randomBytes).not.toHaveBeenCalled();
    });
  });

  describe.each([
    ['no token is stored', {}],
    ['the stored token is empty', { _csrft_: '' }],
    ['the stored token is not a string', { _csrft_: 12 }],
  ])('when %s', (_case, initial) => {
    it('should create one and mark the session dirty', () => {
      const data: Record<string, unknown> = { ...initial };
      const markDirty = jest.fn();
      const token = csrf.getCsrfToken(data, markDirty);
      expect(token).toMatch(/^[0-9a-f]{64}$/);
      expect(data['_csrft_']).toBe(token);
      expect(markDirty).toHaveBeenCalledTimes(1);
    });
  });
});

describe('csrfTokensMatch', () => {
  const token = 'a1'.repeat(32);

  describe('when the submitted token equals the expected one', () => {
    it('should match, comparing with timingSafeEqual', () => {
      expect(csrf.csrfTokensMatch(token, token)).toBe(true);
      expect(timingSafeEqual).toHaveBeenCalledTimes(1);
    });
  });

  describe('when the submitted token differs in one character', () => {
    it('should not match', () => {
      expect(csrf.csrfTokensMatch(token, `b${token.slice(1)}`)).toBe(false);
      expect(timingSafeEqual).toHaveBeenCalledTimes(1);
    });
  });

  describe('when the lengths differ', () => {
    it('should not match and not compare', () => {
      expect(csrf.csrfTokensMatch(token, token.slice(1))).toBe(false);
      expect(csrf.csrfTokensMatch(token, `${token}0`)).toBe(false);
      expect(timingSafeEqual).not.toHaveBeenCalled();
    });
  });

  describe.each([
    ['no token is expected', undefined, token],
    ['the expected token is empty', '', ''],
    ['nothing was submitted', token, undefined],
    ['an array was submitted', token, [token]],
    ['a number was submitted', token, 1],
  ])('when %s', (_case, expected, submitted) => {
    it('should not match', () => {
      expect(csrf.csrfTokensMatch(expected, submitted)).toBe(false);
    });
  });
});
