import { getHashes } from 'node:crypto';
import { hashAlgorithmProblem } from '../../../src/crypto/signer';
import { ServerSessionFactory } from '../../../src/factories/server-session.factory';
import { SignedCookieSessionFactory } from '../../../src/factories/signed-cookie-session.factory';
import { SessionConfigurationError } from '../../../src/session/session-configuration.error';
import { MemoryStore } from '../../../src/stores/memory.store';

const SECRET = 'strong-mac-hash-secret-0123456789abcdef012345';
const REFUSED = ['md5', 'MD5', 'sha1', 'sha224', 'sha512-224', 'sha512-256', 'ripemd160', 'sm3'];
const ACCEPTED = ['sha256', 'sha384', 'sha512', 'SHA512', 'sha3-256', 'sha3-384', 'sha3-512'];

const store = new MemoryStore({ sweepInterval: 0 });
afterAll(() => store.close());

const factories = [
  {
    name: 'SignedCookieSessionFactory',
    build: (hashAlgorithm: string) =>
      new SignedCookieSessionFactory({ secret: SECRET, cookieName: 'ui', hashAlgorithm }),
  },
  {
    name: 'ServerSessionFactory',
    build: (hashAlgorithm: string) =>
      new ServerSessionFactory({ secret: SECRET, cookieName: 'ui', store, hashAlgorithm }),
  },
];

describe('hashAlgorithmProblem', () => {
  describe('when the hash is SHA-2 or SHA-3 of 256 bits or more', () => {
    it.each(ACCEPTED)('should accept %s', (algorithm) => {
      expect(hashAlgorithmProblem(algorithm)).toBeUndefined();
    });
  });

  describe('when Node.js knows the hash but it is weak or not on the list', () => {
    it.each(REFUSED.filter((h) => getHashes().some((n) => n.toLowerCase() === h.toLowerCase())))(
      'should refuse %s and name the strong ones',
      (algorithm) => {
        expect(hashAlgorithmProblem(algorithm)).toBe(
          `hashAlgorithm "${algorithm}" is not a strong MAC hash. Use 'sha512' (the default), 'sha384' or 'sha256'.`,
        );
      },
    );
  });

  describe('when Node.js does not know the hash', () => {
    it('should say it is not available', () => {
      expect(hashAlgorithmProblem('md42')).toBe(
        `hashAlgorithm "md42" is not available in this Node.js build. Use one of crypto.getHashes(), e.g. 'sha512'.`,
      );
    });
  });
});

describe.each(factories)('$name hashAlgorithm', ({ build }) => {
  describe('when it is md5 or sha1', () => {
    it.each(['md5', 'sha1'])('should refuse %s at validate() with the reason', (algorithm) => {
      const factory = build(algorithm);
      expect(() => factory.validate('ui')).toThrow(
        new SessionConfigurationError(
          `Namespace "ui": hashAlgorithm "${algorithm}" is not a strong MAC hash. Use 'sha512' (the default), 'sha384' or 'sha256'.`,
        ),
      );
      expect(() => factory.validate('ui')).toThrow(SessionConfigurationError);
    });
  });

  describe('when it is a strong hash', () => {
    it.each(['sha256', 'sha3-512'])('should accept %s', (algorithm) => {
      expect(() => build(algorithm).validate('ui')).not.toThrow();
    });
  });
});
