import { jest } from '@jest/globals';
import * as realCrypto from 'node:crypto';

// Count the signer's timingSafeEqual and createHmac calls (ESM: mock before importing the module).
const timingSafeEqual = jest.fn(realCrypto.timingSafeEqual);
const createHmac = jest.fn(realCrypto.createHmac);
jest.unstable_mockModule('node:crypto', () => ({ ...realCrypto, timingSafeEqual, createHmac }));

let Signer: typeof import('../../../src/crypto/signer').Signer;

const KEY_A = Buffer.alloc(32, 'a');
const KEY_B = Buffer.alloc(32, 'b');
const PAYLOAD = Buffer.from('{"cart":[1,2,3]}').toString('base64url');

beforeAll(async () => {
  ({ Signer } = await import('../../../src/crypto/signer'));
});

beforeEach(() => {
  timingSafeEqual.mockClear();
  createHmac.mockClear();
});

function macOf(value: string): string {
  return value.slice(value.lastIndexOf('.') + 1);
}

describe('Signer', () => {
  describe('when signing', () => {
    it('should produce "<payload>.<mac>" with a base64url HMAC-SHA512 by default', () => {
      const signed = new Signer([KEY_A]).sign(PAYLOAD, 'ui');
      expect(signed.startsWith(`${PAYLOAD}.`)).toBe(true);
      expect(macOf(signed)).toMatch(/^[A-Za-z0-9_-]{86}$/);
    });

    it('should use the configured hash algorithm', () => {
      const signed = new Signer([KEY_A], 'sha256').sign(PAYLOAD, 'ui');
      expect(macOf(signed)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    });

    it('should key the HMAC with salt + secret over "context\\npayload"', () => {
      const signed = new Signer([KEY_A], 'sha256', 'salt.').sign(PAYLOAD, 'ui');
      const expected = realCrypto
        .createHmac('sha256', Buffer.concat([Buffer.from('salt.'), KEY_A]))
        .update(`ui\n${PAYLOAD}`)
        .digest('base64url');
      expect(macOf(signed)).toBe(expected);
    });

    it('should be deterministic for the same input', () => {
      const signer = new Signer([KEY_A]);
      expect(signer.sign(PAYLOAD, 'ui')).toBe(signer.sign(PAYLOAD, 'ui'));
    });
  });

  describe('when verifying a value it signed', () => {
    it('should return the payload and secret index 0', () => {
      const signer = new Signer([KEY_A]);
      expect(signer.unsign(signer.sign(PAYLOAD, 'ui'), 'ui')).toEqual({
        payload: PAYLOAD,
        secretIndex: 0,
      });
    });

    it('should compare the MAC with crypto.timingSafeEqual', () => {
      const signer = new Signer([KEY_A]);
      signer.unsign(signer.sign(PAYLOAD, 'ui'), 'ui');
      expect(timingSafeEqual).toHaveBeenCalledTimes(1);
    });

    it('should keep dots inside the payload', () => {
      const signer = new Signer([KEY_A]);
      expect(signer.unsign(signer.sign('a.b.c', 'ui'), 'ui')?.payload).toBe('a.b.c');
    });
  });

  describe('when secrets rotate', () => {
    it('should sign with the first secret only', () => {
      const rotated = new Signer([KEY_B, KEY_A]).sign(PAYLOAD, 'ui');
      expect(rotated).toBe(new Signer([KEY_B]).sign(PAYLOAD, 'ui'));
      expect(new Signer([KEY_A]).unsign(rotated, 'ui')).toBeUndefined();
    });

    it('should verify a value signed by an older secret and report its index', () => {
      const old = new Signer([KEY_A]).sign(PAYLOAD, 'ui');
      expect(new Signer([KEY_B, KEY_A]).unsign(old, 'ui')).toEqual({
        payload: PAYLOAD,
        secretIndex: 1,
      });
    });

    it('should compare against each secret in turn with timingSafeEqual', () => {
      const old = new Signer([KEY_A]).sign(PAYLOAD, 'ui');
      timingSafeEqual.mockClear();
      new Signer([KEY_B, KEY_A]).unsign(old, 'ui');
      expect(timingSafeEqual).toHaveBeenCalledTimes(2);
    });
  });

  describe('when the value does not verify', () => {
    let signer: InstanceType<typeof Signer>;
    let mac: string;
    const flipped = (m: string): string => `${m[0] === 'A' ? 'B' : 'A'}${m.slice(1)}`;

    beforeAll(() => {
      signer = new Signer([KEY_A]);
      mac = macOf(signer.sign(PAYLOAD, 'ui'));
    });

    it.each<[string, (mac: string) => string]>([
      ['a truncated MAC', (m) => `${PAYLOAD}.${m.slice(0, -1)}`],
      ['a MAC cut in half', (m) => `${PAYLOAD}.${m.slice(0, 43)}`],
      ['an extended MAC', (m) => `${PAYLOAD}.${m}A`],
      ['base64 padding after the MAC', (m) => `${PAYLOAD}.${m}==`],
      ['an empty MAC', () => `${PAYLOAD}.`],
      ['a changed payload', (m) => `${Buffer.from('{"cart":[9]}').toString('base64url')}.${m}`],
      ['a payload with a character appended', (m) => `${PAYLOAD}x.${m}`],
      ['no dot at all', (m) => `${PAYLOAD}${m}`],
      ['a leading dot', (m) => `.${m}`],
      ['an empty string', () => ''],
      ['a MAC with one character flipped', (m) => `${PAYLOAD}.${flipped(m)}`],
    ])('should reject %s', (_case, build) => {
      expect(signer.unsign(build(mac), 'ui')).toBeUndefined();
    });

    it('should accept the untouched value (control for the cases above)', () => {
      expect(signer.unsign(`${PAYLOAD}.${mac}`, 'ui')?.payload).toBe(PAYLOAD);
    });

    it('should reject a value signed with another secret', () => {
      expect(signer.unsign(new Signer([KEY_B]).sign(PAYLOAD, 'ui'), 'ui')).toBeUndefined();
    });

    it('should reject a value signed for another context (namespace)', () => {
      expect(signer.unsign(signer.sign(PAYLOAD, 'cart'), 'ui')).toBeUndefined();
    });

    it('should reject a value signed with another salt', () => {
      const salted = new Signer([KEY_A], 'sha512', 'other.').sign(PAYLOAD, 'ui');
      expect(signer.unsign(salted, 'ui')).toBeUndefined();
    });

    it('should reject a value signed with another algorithm', () => {
      const other = new Signer([KEY_A], 'sha384').sign(PAYLOAD, 'ui');
      expect(signer.unsign(other, 'ui')).toBeUndefined();
    });

    it('should not call timingSafeEqual when the MAC length differs', () => {
      timingSafeEqual.mockClear();
      signer.unsign(`${PAYLOAD}.${mac.slice(0, -1)}`, 'ui');
      expect(timingSafeEqual).not.toHaveBeenCalled();
    });

    it('should compare a same-length wrong MAC with timingSafeEqual', () => {
      const fresh = new Signer([KEY_A]);
      timingSafeEqual.mockClear();
      fresh.unsign(`${PAYLOAD}.${flipped(mac)}`, 'ui');
      expect(timingSafeEqual).toHaveBeenCalledTimes(1);
    });
  });

  describe('when a verified value comes back', () => {
    const signed = (signer: InstanceType<typeof Signer>, p = PAYLOAD): string =>
      signer.sign(p, 'ui');

    it('should verify it again without computing an HMAC', () => {
      const signer = new Signer([KEY_A]);
      const value = signed(signer);
      expect(signer.unsign(value, 'ui')).toEqual({ payload: PAYLOAD, secretIndex: 0 });
      createHmac.mockClear();
      timingSafeEqual.mockClear();
      expect(signer.unsign(value, 'ui')).toEqual({ payload: PAYLOAD, secretIndex: 0 });
      expect(createHmac).not.toHaveBeenCalled();
      expect(timingSafeEqual).toHaveBeenCalledTimes(1);
    });

    it('should still reject a tampered MAC on the remembered payload, after a full check', () => {
      const signer = new Signer([KEY_A]);
      const value = signed(signer);
      signer.unsign(value, 'ui');
      const mac = macOf(value);
      createHmac.mockClear();
      expect(signer.unsign(`${PAYLOAD}.${mac[0] === 'A' ? 'B' : 'A'}${mac.slice(1)}`, 'ui')).toBe(
        undefined,
      );
      expect(createHmac).toHaveBeenCalledTimes(1);
      // A MAC of the wrong length is refused before any HMAC is computed.
      expect(signer.unsign(`${PAYLOAD}.${mac.slice(0, -1)}`, 'ui')).toBeUndefined();
      expect(createHmac).toHaveBeenCalledTimes(1);
      expect(signer.unsign(value, 'ui')?.payload).toBe(PAYLOAD);
    });

    it('should not accept it under another context', () => {
      const signer = new Signer([KEY_A]);
      const forCart = signer.sign(PAYLOAD, 'cart');
      expect(signer.unsign(forCart, 'cart')?.payload).toBe(PAYLOAD);
      expect(signer.unsign(forCart, 'ui')).toBeUndefined();
      expect(signer.unsign(forCart, 'cart')?.payload).toBe(PAYLOAD);
    });

    it('should accept the payload re-signed under the newest secret after an old-secret value', () => {
      const old = signed(new Signer([KEY_A]));
      const rotated = new Signer([KEY_B, KEY_A]);
      expect(rotated.unsign(old, 'ui')?.secretIndex).toBe(1);
      const reissued = signed(rotated);
      expect(reissued).not.toBe(old);
      expect(rotated.unsign(reissued, 'ui')).toEqual({ payload: PAYLOAD, secretIndex: 0 });
      expect(rotated.unsign(old, 'ui')).toEqual({ payload: PAYLOAD, secretIndex: 1 });
    });

    it('should forget the oldest value once verifiedCacheSize values are remembered', () => {
      const signer = new Signer([KEY_A], 'sha512', '', { verifiedCacheSize: 2 });
      const values = ['b25l', 'dHdv', 'dGhyZWU'].map((p) => signed(signer, p));
      for (const v of values) {
        signer.unsign(v, 'ui');
      }
      createHmac.mockClear();
      signer.unsign(values[2]!, 'ui');
      signer.unsign(values[1]!, 'ui');
      expect(createHmac).not.toHaveBeenCalled();
      expect(signer.unsign(values[0]!, 'ui')?.payload).toBe('b25l');
      expect(createHmac).toHaveBeenCalledTimes(1);
    });

    it('should compute the HMAC every time when verifiedCacheSize is 0', () => {
      const signer = new Signer([KEY_A], 'sha512', '', { verifiedCacheSize: 0 });
      const value = signed(signer);
      createHmac.mockClear();
      signer.unsign(value, 'ui');
      signer.unsign(value, 'ui');
      expect(createHmac).toHaveBeenCalledTimes(2);
    });

    it('should not remember a payload longer than 1024 characters', () => {
      const signer = new Signer([KEY_A]);
      const value = signed(signer, 'A'.repeat(1025));
      createHmac.mockClear();
      signer.unsign(value, 'ui');
      signer.unsign(value, 'ui');
      expect(createHmac).toHaveBeenCalledTimes(2);
    });

    it('should refuse a verifiedCacheSize that is not a whole number of 0 or more', () => {
      expect(() => new Signer([KEY_A], 'sha512', '', { verifiedCacheSize: -1 })).toThrow(
        new RangeError(
          'verifiedCacheSize must be a whole number of 0 or more (0 turns the cache off), not -1.',
        ),
      );
      expect(() => new Signer([KEY_A], 'sha512', '', { verifiedCacheSize: 1.5 })).toThrow(
        RangeError,
      );
    });
  });

  describe('when the hash algorithm does not exist', () => {
    it('should throw a RangeError naming the algorithm', () => {
      expect(() => new Signer([KEY_A], 'sha-nope')).toThrow(
        new RangeError(
          `hashAlgorithm "sha-nope" is not available in this Node.js build. Use one of crypto.getHashes(), e.g. 'sha512'.`,
        ),
      );
    });
  });

  describe('when the hash algorithm is not a strong MAC hash', () => {
    it.each(['md5', 'sha1', 'SHA1', 'sha224', 'sha512-256', 'ripemd160'])(
      'should throw a RangeError for %s',
      (algorithm) => {
        expect(() => new Signer([KEY_A], algorithm)).toThrow(
          new RangeError(
            `hashAlgorithm "${algorithm}" is not a strong MAC hash. Use 'sha512' (the default), 'sha384' or 'sha256'.`,
          ),
        );
      },
    );
  });

  describe('when the payload has a lone surrogate', () => {
    it('should refuse to sign it, since its UTF-8 form is shared with U+FFFD', () => {
      expect(() => new Signer([KEY_A]).sign('ab\uD800', 'ui')).toThrow(RangeError);
    });

    it('should not verify it under the MAC of the U+FFFD text', () => {
      const signer = new Signer([KEY_A]);
      const mac = macOf(signer.sign('ab\uFFFD', 'ui'));
      expect(signer.unsign(`ab\uFFFD.${mac}`, 'ui')?.payload).toBe('ab\uFFFD');
      expect(signer.unsign(`ab\uD800.${mac}`, 'ui')).toBeUndefined();
      expect(signer.unsign(`ab\uDC00.${mac}`, 'ui')).toBeUndefined();
    });
  });
});

describe('Signer algorithm names', () => {
  describe('when the algorithm is written in upper case', () => {
    it('should accept it as Node does and verify values signed under the lower-case name', () => {
      const upper = new Signer([Buffer.alloc(32, 7)], 'SHA512');
      const lower = new Signer([Buffer.alloc(32, 7)], 'sha512');
      expect(lower.unsign(upper.sign('cGF5bG9hZA', 'ns'), 'ns')).toEqual({
        payload: 'cGF5bG9hZA',
        secretIndex: 0,
      });
    });
  });
});
