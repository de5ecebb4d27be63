import { randomBytes } from 'node:crypto';
import { Sealer, keyProblem } from '../../../src/crypto/sealer';

const KEY_A = Buffer.alloc(32, 1);
const KEY_B = Buffer.alloc(32, 2);

function flipByte(sealed: string, index: number): string {
  const raw = Buffer.from(sealed, 'base64url');
  raw[index] = raw[index]! ^ 0x01;
  return raw.toString('base64url');
}

describe('Sealer', () => {
  describe('when a value is sealed and opened with the same key and context', () => {
    it('should return the plaintext and key index 0', () => {
      const sealer = new Sealer([KEY_A]);
      expect(sealer.open(sealer.seal('{"a":1}', 'ui'), 'ui')).toEqual({
        plaintext: '{"a":1}',
        keyIndex: 0,
      });
    });

    it('should not contain the plaintext in the sealed text', () => {
      const sealed = new Sealer([KEY_A]).seal('secret-theme-dark', 'ui');
      expect(Buffer.from(sealed, 'base64url').toString('latin1')).not.toContain('secret-theme');
    });

    it('should use a fresh nonce for every seal', () => {
      const sealer = new Sealer([KEY_A]);
      const nonces = new Set<string>();
      for (let i = 0; i < 2000; i++) {
        nonces.add(
          Buffer.from(sealer.seal('same', 'ui'), 'base64url').subarray(5, 17).toString('hex'),
        );
      }
      expect(nonces.size).toBe(2000);
    });
  });

  describe('when the context differs (another namespace)', () => {
    it('should refuse to open the value', () => {
      const sealer = new Sealer([KEY_A]);
      expect(sealer.open(sealer.seal('x', 'ui'), 'cart')).toBeUndefined();
    });
  });

  describe('when the sealed value was altered', () => {
    const sealer = new Sealer([KEY_A]);
    const sealed = sealer.seal('{"cart":[1,2,3]}', 'cart');
    const length = Buffer.from(sealed, 'base64url').length;

    it.each([
      ['the version byte', 0],
      ['the key id', 2],
      ['the nonce', 8],
      ['the tag', 20],
      ['the ciphertext', length - 1],
    ])('should refuse a flipped bit in %s', (_, index) => {
      expect(sealer.open(flipByte(sealed, index), 'cart')).toBeUndefined();
    });

    it('should refuse a truncated value', () => {
      expect(sealer.open(sealed.slice(0, -4), 'cart')).toBeUndefined();
      expect(sealer.open(sealed.slice(0, 20), 'cart')).toBeUndefined();
    });

    it('should refuse an extended value', () => {
      expect(sealer.open(`${sealed}AA`, 'cart')).toBeUndefined();
      expect(sealer.open(`${sealed}=`, 'cart')).toBeUndefined();
    });

    it('should refuse garbage and the empty string', () => {
      expect(sealer.open('', 'cart')).toBeUndefined();
      expect(sealer.open('not a sealed value', 'cart')).toBeUndefined();
      expect(sealer.open(randomBytes(80).toString('base64url'), 'cart')).toBeUndefined();
    });
  });

  describe('when keys rotate', () => {
    it('should open a value sealed under an older key and report its index', () => {
      const old = new Sealer([KEY_B]);
      const rotated = new Sealer([KEY_A, KEY_B]);
      expect(rotated.open(old.seal('v', 'ui'), 'ui')).toEqual({ plaintext: 'v', keyIndex: 1 });
    });

    it('should seal under the first key', () => {
      const rotated = new Sealer([KEY_A, KEY_B]);
      expect(new Sealer([KEY_A]).open(rotated.seal('v', 'ui'), 'ui')?.keyIndex).toBe(0);
    });

    it('should refuse a value sealed under a key that was dropped', () => {
      expect(new Sealer([KEY_A]).open(new Sealer([KEY_B]).seal('v', 'ui'), 'ui')).toBeUndefined();
    });
  });
});

describe('keyProblem', () => {
  describe('when the list is empty', () => {
    it('should ask for a 32-byte key', () => {
      expect(keyProblem([], 'key')).toBe(
        'key is missing or an empty list; at least one 32-byte key is required. Pass key: [crypto.randomBytes(32)] (or its base64 text).',
      );
    });
  });

  describe('when a key has the wrong length', () => {
    it('should give the length and the index of the bad key', () => {
      expect(keyProblem([KEY_A, Buffer.alloc(16)], 'key')).toBe(
        "key[1] is 16 bytes; AES-256-GCM needs exactly 32. Generate one with crypto.randomBytes(32).toString('base64').",
      );
    });
  });

  describe('when every key has 32 bytes', () => {
    it('should find nothing wrong', () => {
      expect(keyProblem([KEY_A, KEY_B], 'key')).toBeUndefined();
    });
  });
});
