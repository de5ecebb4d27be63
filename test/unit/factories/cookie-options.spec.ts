import {
  CookieWriter,
  isSecureRequest,
  notPubliclyCacheable,
  resolveCookieOptions,
  resolveCookiePolicy,
} from '../../../src/factories/cookie-options';
import {
  MAX_COOKIE_BYTES,
  SessionCookieTooLargeError,
} from '../../../src/factories/session-cookie-too-large.error';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { fakeRequest } from '../../support/factory-context';

function response(cacheControl?: string | string[]): ServerResponse {
  const res = new ServerResponse(new IncomingMessage(new Socket()));
  if (cacheControl !== undefined) {
    res.setHeader('Cache-Control', cacheControl);
  }
  return res;
}

describe('resolveCookieOptions', () => {
  describe('when only the cookie name is given', () => {
    it('should apply the defaults: Path=/, no Domain, secure auto, HttpOnly, SameSite=Lax, not partitioned', () => {
      expect(resolveCookieOptions({ cookieName: 'ui' })).toEqual({
        name: 'ui',
        maxAge: undefined,
        path: '/',
        domain: undefined,
        secure: 'auto',
        httpOnly: true,
        sameSite: 'lax',
        partitioned: false,
      });
    });
  });

  describe('when every option is given', () => {
    it('should keep them', () => {
      expect(
        resolveCookieOptions({
          cookieName: 'ui',
          maxAge: 60,
          path: '/a',
          domain: 'example.com',
          secure: true,
          httpOnly: false,
          sameSite: 'strict',
          partitioned: true,
        }),
      ).toEqual({
        name: 'ui',
        maxAge: 60,
        path: '/a',
        domain: 'example.com',
        secure: true,
        httpOnly: false,
        sameSite: 'strict',
        partitioned: true,
      });
    });
  });
});

describe('isSecureRequest', () => {
  describe('when Express set req.secure', () => {
    it('should use it', () => {
      expect(isSecureRequest(fakeRequest({ secure: true }))).toBe(true);
      expect(isSecureRequest(fakeRequest({ secure: false }))).toBe(false);
    });
  });

  describe('when req.secure is absent', () => {
    it('should look at the TLS socket', () => {
      const req = fakeRequest();
      delete req.secure;
      expect(isSecureRequest(req)).toBe(false);
      Object.defineProperty(req, 'socket', { value: { encrypted: true } });
      expect(isSecureRequest(req)).toBe(true);
    });
  });
});

describe('notPubliclyCacheable', () => {
  describe('when the response may be stored by a shared cache', () => {
    it.each([
      ['public', 'public, max-age=60'],
      ['s-maxage', 'max-age=60, s-maxage=300'],
      ['upper case', 'Public'],
      ['an array value', ['max-age=0', 's-maxage=10']],
    ])('should refuse cookies (%s)', (_case, header) => {
      expect(notPubliclyCacheable(fakeRequest(), response(header))).toBe(false);
    });
  });

  describe('when it may not', () => {
    it.each([
      ['no Cache-Control', undefined],
      ['private', 'private, max-age=60'],
      ['no-store', 'no-store'],
      ['max-age only', 'max-age=60'],
      ['a public-looking extension', 'x-public-thing'],
    ])('should allow cookies (%s)', (_case, header) => {
      expect(notPubliclyCacheable(fakeRequest(), response(header))).toBe(true);
    });
  });
});

describe('resolveCookiePolicy', () => {
  const cookie = resolveCookieOptions({ cookieName: 'ui', secure: true });

  describe('when no hook is given', () => {
    it('should set cookies on exceptions and refuse them on publicly cacheable responses', () => {
      const policy = resolveCookiePolicy({}, cookie);
      expect(policy.cookieOnException).toBe(true);
      expect(policy.allowCookies).toBe(notPubliclyCacheable);
      expect(policy.secure).toBe(true);
    });
  });

  describe('when hooks are given', () => {
    it('should use them', () => {
      const allowCookies = (): boolean => true;
      const policy = resolveCookiePolicy({ cookieOnException: false, allowCookies }, cookie);
      expect(policy.cookieOnException).toBe(false);
      expect(policy.allowCookies).toBe(allowCookies);
    });
  });
});

describe('CookieWriter', () => {
  const writer = (options: Parameters<typeof resolveCookieOptions>[0]): CookieWriter =>
    new CookieWriter('ui', resolveCookieOptions(options));

  describe('when writing with the defaults over plain http', () => {
    it('should send Path=/, HttpOnly and SameSite=Lax, without Secure, Domain or Max-Age', () => {
      expect(writer({ cookieName: 'ui' }).serialize(fakeRequest(), 'v.1')).toBe(
        'ui=v.1; Path=/; HttpOnly; SameSite=Lax',
      );
    });
  });

  describe("when secure is 'auto'", () => {
    it('should add Secure on https requests only', () => {
      const w = writer({ cookieName: 'ui' });
      expect(w.serialize(fakeRequest({ secure: true }), 'v')).toBe(
        'ui=v; Path=/; HttpOnly; Secure; SameSite=Lax',
      );
      expect(w.serialize(fakeRequest({ secure: false }), 'v')).not.toContain('Secure');
    });
  });

  describe('when secure is false', () => {
    it('should never add Secure', () => {
      expect(
        writer({ cookieName: 'ui', secure: false }).serialize(fakeRequest({ secure: true }), 'v'),
      ).not.toContain('Secure');
    });
  });

  describe('when every attribute is configured', () => {
    it('should write them all', () => {
      expect(
        writer({
          cookieName: 'ui',
          maxAge: 3600,
          path: '/shop',
          domain: 'example.com',
          secure: true,
          httpOnly: false,
          sameSite: 'none',
          partitioned: true,
        }).serialize(fakeRequest({ secure: true }), 'v'),
      ).toBe(
        'ui=v; Max-Age=3600; Domain=example.com; Path=/shop; Secure; Partitioned; SameSite=None',
      );
    });

    it('should write SameSite=Strict', () => {
      expect(
        writer({ cookieName: 'ui', sameSite: 'strict' }).serialize(fakeRequest(), 'v'),
      ).toContain('SameSite=Strict');
    });
  });

  describe('when overrides are given (recookie)', () => {
    it('should use their Max-Age and Expires', () => {
      expect(
        writer({ cookieName: 'ui', maxAge: 10 }).serialize(fakeRequest(), 'v', {
          maxAge: 99,
          expires: new Date(Date.UTC(2030, 0, 1)),
        }),
      ).toBe(
        'ui=v; Max-Age=99; Path=/; Expires=Tue, 01 Jan 2030 00:00:00 GMT; HttpOnly; SameSite=Lax',
      );
    });
  });

  describe('when clearing', () => {
    it('should send an empty value with Max-Age=0, Expires in 1970 and the same Path and Domain', () => {
      expect(
        writer({ cookieName: 'ui', path: '/shop', domain: 'example.com' }).serializeClear(
          fakeRequest(),
        ),
      ).toBe(
        'ui=; Max-Age=0; Domain=example.com; Path=/shop; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax',
      );
    });
  });

  describe('when the cookie would exceed 4096 bytes', () => {
    it('should accept exactly 4096 bytes of name plus value', () => {
      const value = 'x'.repeat(MAX_COOKIE_BYTES - 2);
      expect(writer({ cookieName: 'ui' }).serialize(fakeRequest(), value)).toContain(value);
    });

    it('should throw SessionCookieTooLargeError naming the namespace and the byte count', () => {
      const w = writer({ cookieName: 'ui' });
      const call = (): string => w.serialize(fakeRequest(), 'x'.repeat(MAX_COOKIE_BYTES - 1));
      expect(call).toThrow(SessionCookieTooLargeError);
      expect(call).toThrow(
        'Namespace "ui": the session cookie would be 4097 bytes (name plus value); browsers drop cookies above 4096. Store less in this namespace, or use a server-side factory (RedisSessionFactory, FileStore) for large data.',
      );
    });

    it('should count bytes, not characters', () => {
      const w = writer({ cookieName: 'ui' });
      let error: unknown;
      try {
        w.serialize(fakeRequest(), 'é'.repeat(2048));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SessionCookieTooLargeError);
      expect((error as SessionCookieTooLargeError).bytes).toBe(2 + 4096);
      expect((error as SessionCookieTooLargeError).namespace).toBe('ui');
    });
  });
});
