import { jest } from '@jest/globals';
import * as realCrypto from 'node:crypto';

// Count timingSafeEqual calls made by the signer (ESM: mock before importing the module).
const timingSafeEqual = jest.fn(realCrypto.timingSafeEqual);
jest.unstable_mockModule('node:crypto', () => ({ ...realCrypto, timingSafeEqual }));

let Signer: typeof import('../../../src/crypto/signer').Signer;

const KEY_A = Buffer.alloc(32, 'a');
const KEY_B = Buffer.alloc(32, 'b');
const PAYLOAD = Buffer.from('{"cart":[1,2,3]}').toString('base64url');

beforeAll(async () => {
  ({ Signer } = await import('../../../src/crypto/signer'));
});

beforeEach(() => {
  timingSafeEqual.mockClear();
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
      timingSafeEqual.mockClear();
      signer.unsign(`${PAYLOAD}.${flipped(mac)}`, 'ui');
      expect(timingSafeEqual).toHaveBeenCalledTimes(1);
    });
  });

  describe('when the hash algorithm does not exist', () => {
    it('should throw a RangeError naming the algorithm', () => {
      expect(() => new Signer([KEY_A], 'sha-nope')).toThrow(
        new RangeError('Hash algorithm "sha-nope" is not available in this Node.js build.'),
      );
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
