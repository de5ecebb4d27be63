import {
  resolveCookieOptions,
  type SessionCookieOptions,
} from '../../../src/factories/cookie-options';
import { cookieAttributeProblem } from '../../../src/module/cookie-attribute-rules';

function problem(
  options: Partial<SessionCookieOptions> & { cookieName?: string },
): string | undefined {
  return cookieAttributeProblem('ns', resolveCookieOptions({ cookieName: 'sid', ...options }));
}

describe('cookieAttributeProblem', () => {
  describe('when the attributes are the defaults', () => {
    it('should find no problem', () => {
      expect(problem({})).toBeUndefined();
    });
  });

  describe('when the cookie name is not an RFC 6265 token', () => {
    it.each([
      ['an attribute injection', 'a; Max-Age=1'],
      ['a space', 'my sid'],
      ['an equals sign', 'a=b'],
      ['a comma', 'a,b'],
      ['a non-ASCII letter', 'séssion'],
      ['a slash', 'a/b'],
      ['an empty name', ''],
    ])('should reject %s', (_case, cookieName) => {
      expect(problem({ cookieName })).toBe(
        `Namespace "ns": cookie name "${cookieName}" contains characters outside RFC 6265 tokens (no spaces, separators or ;,=). Use letters, digits and !#$%&'*+-.^_\`|~ only.`,
      );
    });

    it.each(['sid', 'my.session', 'a-b_c', "x!#$%&'*+-.^_`|~9"])(
      'should accept the token %s',
      (cookieName) => {
        expect(problem({ cookieName })).toBeUndefined();
      },
    );
  });

  describe('when the path is not a cookie path', () => {
    it.each([
      ['no leading slash', 'admin'],
      ['a semicolon', '/a;Domain=evil.test'],
      ['a newline', '/a\nb'],
      ['a space', '/a b'],
      ['an empty path', ''],
    ])('should reject %s', (_case, path) => {
      expect(problem({ path })).toBe(
        `Namespace "ns": cookie path "${path}" must start with "/" and contain no ";" or control characters. Fix the path option.`,
      );
    });

    it.each(['/', '/admin', '/a/b-c_d.e~'])('should accept %s', (path) => {
      expect(problem({ path })).toBeUndefined();
    });
  });

  describe('when the domain is not a domain name', () => {
    it.each([
      ['a space', 'exa mple.com'],
      ['a semicolon', 'example.com;Path=/'],
      ['a leading hyphen', '-bad.com'],
      ['a trailing dot in a label', 'a..com'],
      ['an underscore', 'a_b.com'],
    ])('should reject %s', (_case, domain) => {
      expect(problem({ domain })).toBe(
        `Namespace "ns": cookie domain "${domain}" is not a valid domain name. Fix the domain option or leave it unset.`,
      );
    });

    it.each(['example.com', '.example.com', 'localhost', 'a-b.c0.example'])(
      'should accept %s',
      (domain) => {
        expect(problem({ domain })).toBeUndefined();
      },
    );
  });

  describe("when sameSite is 'none'", () => {
    it.each<[string, boolean | 'auto' | undefined]>([
      ['secure is left at auto', undefined],
      ["secure is 'auto'", 'auto'],
      ['secure is false', false],
    ])('should reject it when %s', (_case, secure) => {
      expect(problem({ sameSite: 'none', secure })).toBe(
        `Namespace "ns": sameSite 'none' without secure: true is dropped by browsers. Set secure: true, or use sameSite 'lax'.`,
      );
    });

    it('should accept it with secure: true', () => {
      expect(problem({ sameSite: 'none', secure: true })).toBeUndefined();
    });
  });

  describe('when partitioned is on', () => {
    it.each<[string, boolean | 'auto' | undefined]>([
      ['secure is left at auto', undefined],
      ['secure is false', false],
    ])('should reject it when %s', (_case, secure) => {
      expect(problem({ partitioned: true, secure })).toBe(
        `Namespace "ns": partitioned: true without secure: true is dropped by browsers. Set secure: true, or remove partitioned.`,
      );
    });

    it('should accept it with secure: true', () => {
      expect(problem({ partitioned: true, secure: true })).toBeUndefined();
    });
  });

  describe('when the name has the __Host- prefix', () => {
    const message = `Namespace "ns": cookie "__Host-sid" has the __Host- prefix, which browsers accept only with secure: true, path '/' and no domain. Fix those options or rename the cookie.`;

    it.each<[string, Partial<SessionCookieOptions>]>([
      ['a domain', { secure: true, domain: 'example.com' }],
      ['a path other than /', { secure: true, path: '/admin' }],
      ["secure 'auto'", {}],
      ['secure false', { secure: false }],
    ])('should reject it with %s', (_case, options) => {
      expect(problem({ cookieName: '__Host-sid', ...options })).toBe(message);
    });

    it("should accept secure: true, path '/' and no domain", () => {
      expect(problem({ cookieName: '__Host-sid', secure: true })).toBeUndefined();
    });
  });

  describe('when the prefix is written in another case (browsers match it in any case)', () => {
    it.each<[string, Partial<SessionCookieOptions>]>([
      ['__host-sid', { secure: true, domain: 'example.com' }],
      ['__HOST-sid', { secure: true, path: '/x' }],
      ['__secure-sid', {}],
      ['__SECURE-sid', { secure: false }],
    ])('should reject %s with %j', (cookieName, options) => {
      expect(problem({ cookieName, ...options })).toContain(`cookie "${cookieName}" has the`);
    });
  });

  describe('when the name has the __Secure- prefix', () => {
    it('should reject it without secure: true', () => {
      expect(problem({ cookieName: '__Secure-sid' })).toBe(
        `Namespace "ns": cookie "__Secure-sid" has the __Secure- prefix, which browsers accept only with secure: true. Set secure: true or rename the cookie.`,
      );
    });

    it('should accept it with secure: true, a domain and a path', () => {
      expect(
        problem({ cookieName: '__Secure-sid', secure: true, domain: 'example.com', path: '/a' }),
      ).toBeUndefined();
    });
  });
});
