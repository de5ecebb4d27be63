import { MIN_SECRET_BYTES, secretProblem, toSecretList } from '../../../src/crypto/secret';

describe('toSecretList', () => {
  describe('when no secret is given', () => {
    it('should return an empty list', () => {
      expect(toSecretList(undefined)).toEqual([]);
    });
  });

  describe('when one string is given', () => {
    it('should return its UTF-8 bytes', () => {
      expect(toSecretList('héllo')).toEqual([Buffer.from('héllo', 'utf8')]);
    });
  });

  describe('when a Buffer is given', () => {
    it('should copy it, so later changes to the caller buffer do not change the key', () => {
      const source = Buffer.alloc(32, 1);
      const [copy] = toSecretList(source);
      source.fill(2);
      expect(copy).toEqual(Buffer.alloc(32, 1));
    });
  });

  describe('when a list is given', () => {
    it('should keep the order (the first signs)', () => {
      expect(toSecretList(['first', Buffer.from('second')]).map(String)).toEqual([
        'first',
        'second',
      ]);
    });
  });
});

describe('secretProblem', () => {
  const long = Buffer.alloc(MIN_SECRET_BYTES, 'x');

  describe('when the list is empty', () => {
    it('should say a secret is required', () => {
      expect(secretProblem([])).toBe(
        'secret is missing or an empty list; at least one secret is required. Pass secret: process.env.SESSION_SECRET (32 bytes or more).',
      );
    });
  });

  describe('when the only secret is too short', () => {
    it('should give its length and the minimum', () => {
      expect(secretProblem([Buffer.alloc(31)])).toBe(
        "secret is 31 bytes; at least 32 are required. Use a longer secret (e.g. crypto.randomBytes(32).toString('base64')).",
      );
    });
  });

  describe('when one secret of a list is too short', () => {
    it('should name its index', () => {
      expect(secretProblem([long, Buffer.from('short')])).toBe(
        "secret[1] is 5 bytes; at least 32 are required. Use a longer secret (e.g. crypto.randomBytes(32).toString('base64')).",
      );
    });
  });

  describe('when the option has another name', () => {
    it('should use that name', () => {
      expect(secretProblem([], 'keys')).toMatch(/^keys is missing/);
    });
  });

  describe('when every secret is at least 32 bytes', () => {
    it('should find no problem', () => {
      expect(secretProblem([long, Buffer.alloc(64)])).toBeUndefined();
    });

    it('should count bytes, not characters', () => {
      // 16 two-byte characters are 32 bytes.
      expect(secretProblem(toSecretList('é'.repeat(16)))).toBeUndefined();
      expect(secretProblem(toSecretList('e'.repeat(16)))).toMatch(/^secret is 16 bytes/);
    });
  });

  describe('when reporting a problem', () => {
    it('should never include the secret itself', () => {
      const secret = 'do-not-print-me';
      expect(secretProblem(toSecretList(secret))).not.toContain(secret);
    });
  });
});
