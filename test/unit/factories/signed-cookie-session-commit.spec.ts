import { jest } from '@jest/globals';
import {
  SignedCookieSessionFactory,
  type SignedCookieSessionOptions,
} from '../../../src/factories/signed-cookie-session.factory';
import { SessionCookieTooLargeError } from '../../../src/factories/session-cookie-too-large.error';
import { Signer } from '../../../src/crypto/signer';
import type { NamespacedSession } from '../../../src/session/session';
import { SECRET_A, SECRET_B } from '../../support/create-test-app';
import { loadContext, RecordingCommitContext } from '../../support/factory-context';
import {
  DEFAULT_SIGNED_SALT,
  decodeSignedCookie,
  mintSignedCookie,
} from '../../support/signed-cookie';

const T0 = 1_800_000_000;

function factory(options: Partial<SignedCookieSessionOptions> = {}): SignedCookieSessionFactory {
  return new SignedCookieSessionFactory({ secret: SECRET_A, cookieName: 'ui', ...options });
}

function load(
  f: SignedCookieSessionFactory,
  cookie?: string,
): NamespacedSession<Record<string, unknown>> {
  return f.load(loadContext('ui', cookie === undefined ? {} : { ui: cookie }));
}

function commit(f: SignedCookieSessionFactory, session: NamespacedSession): RecordingCommitContext {
  const ctx = new RecordingCommitContext('ui');
  f.commit(session, ctx);
  return ctx;
}

function existing(data: Record<string, unknown>, renewed = T0, created = renewed - 100): string {
  return mintSignedCookie({ secret: SECRET_A, namespace: 'ui', renewed, created, data });
}

beforeEach(() => {
  jest.useFakeTimers({ now: T0 * 1000 });
});

afterEach(() => {
  jest.useRealTimers();
});

describe('SignedCookieSessionFactory commit', () => {
  describe('when a new session is left empty', () => {
    it('should send no cookie', () => {
      const f = factory();
      const session = load(f);
      session.get('anything');
      expect(commit(f, session).cookies).toEqual([]);
    });
  });

  describe('when a new session gets data', () => {
    it('should send one signed cookie holding [now, created, data]', () => {
      const f = factory();
      const session = load(f);
      session.set('theme', 'dark');
      const ctx = commit(f, session);
      expect(ctx.cookies).toHaveLength(1);
      expect(ctx.cookies[0]).toMatch(/^ui=[^;]+; Path=\/; HttpOnly; SameSite=Lax$/);
      expect(decodeSignedCookie(ctx.value())).toEqual([T0, T0, { theme: 'dark' }]);
      expect(
        new Signer([Buffer.from(SECRET_A)], 'sha512', DEFAULT_SIGNED_SALT).unsign(
          ctx.value(),
          'ui',
        ),
      ).toEqual({
        payload: Buffer.from(`[${T0},${T0},{"theme":"dark"}]`).toString('base64url'),
        secretIndex: 0,
      });
    });

    it('should produce a cookie the factory loads back', () => {
      const f = factory();
      const session = load(f);
      session.set('n', 1);
      const value = commit(f, session).value();
      expect(load(f, value).get('n')).toBe(1);
    });
  });

  describe('when an existing session is only read within the reissue window', () => {
    it('should send nothing', () => {
      const f = factory();
      const session = load(f, existing({ a: 1 }, T0 - 120));
      session.get('a');
      expect(commit(f, session).cookies).toEqual([]);
    });
  });

  describe('when an existing session is read after reissueTime', () => {
    it('should re-issue the cookie with a fresh time and the same created', () => {
      const f = factory();
      const session = load(f, existing({ a: 1 }, T0 - 121, T0 - 5000));
      session.get('a');
      expect(decodeSignedCookie(commit(f, session).value())).toEqual([T0, T0 - 5000, { a: 1 }]);
    });

    it('should never re-issue with reissueTime: null', () => {
      const f = factory({ reissueTime: null });
      const session = load(f, existing({ a: 1 }, T0 - 1000));
      session.get('a');
      expect(commit(f, session).cookies).toEqual([]);
    });

    it('should re-issue as soon as a second passed with reissueTime: 0', () => {
      const f = factory({ reissueTime: 0 });
      expect(commit(f, load(f, existing({ a: 1 }, T0))).cookies).toEqual([]);
      expect(commit(f, load(f, existing({ a: 1 }, T0 - 1))).cookies).toHaveLength(1);
    });
  });

  describe('when a nested value is mutated without changed()', () => {
    it('should find the change by comparing payloads', () => {
      const f = factory();
      const session = load(f, existing({ cart: { items: [1] } }));
      (session.get('cart') as { items: number[] }).items.push(2);
      expect(decodeSignedCookie(commit(f, session).value())).toEqual([
        T0,
        T0 - 100,
        { cart: { items: [1, 2] } },
      ]);
    });

    it('should miss it with detectChanges: false, unless changed() is called', () => {
      const f = factory({ detectChanges: false });
      const session = load(f, existing({ cart: { items: [1] } }));
      (session.get('cart') as { items: number[] }).items.push(2);
      expect(commit(f, session).cookies).toEqual([]);
      session.changed();
      expect(commit(f, session).cookies).toHaveLength(1);
    });
  });

  describe('when the cookie was signed by an older secret', () => {
    it('should re-issue it under the first secret on the same response', () => {
      const old = mintSignedCookie({
        secret: SECRET_B,
        namespace: 'ui',
        renewed: T0,
        data: { a: 1 },
      });
      const f = factory({ secret: [SECRET_A, SECRET_B] });
      const session = load(f, old);
      const value = commit(f, session).value();
      expect(value).not.toBe(old);
      const onlyNew = factory({ secret: SECRET_A });
      expect(load(onlyNew, value).get('a')).toBe(1);
      expect(load(factory({ secret: SECRET_B }), value).isNew).toBe(true);
    });

    it('should not re-issue a cookie signed by the first secret', () => {
      const f = factory({ secret: [SECRET_A, SECRET_B] });
      expect(commit(f, load(f, existing({ a: 1 }))).cookies).toEqual([]);
    });
  });

  describe('when the session is invalidated', () => {
    it('should clear the cookie with Max-Age=0 and the same Path and Domain', async () => {
      const f = factory({ path: '/shop', domain: 'example.com' });
      const session = load(f, existing({ a: 1 }));
      await session.invalidate();
      expect(commit(f, session).cookies).toEqual([
        'ui=; Max-Age=0; Domain=example.com; Path=/shop; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax',
      ]);
    });

    it('should write a new cookie when data is set after invalidate()', async () => {
      const f = factory();
      const session = load(f, existing({ a: 1 }));
      await session.invalidate();
      session.set('b', 2);
      expect(decodeSignedCookie(commit(f, session).value())).toEqual([T0, T0, { b: 2 }]);
    });

    it('should send nothing for a new session that never had a cookie', async () => {
      const f = factory();
      const session = load(f);
      await session.invalidate();
      expect(commit(f, session).cookies).toEqual([]);
    });
  });

  describe('when the last key is deleted', () => {
    it('should clear the cookie instead of sending an empty session', () => {
      const f = factory();
      const session = load(f, existing({ a: 1 }));
      session.delete('a');
      expect(commit(f, session).cookies).toEqual([
        'ui=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax',
      ]);
    });
  });

  describe('when the incoming cookie was invalid and the session stays empty', () => {
    it('should clear the stale cookie', () => {
      const f = factory();
      const session = load(f, 'garbage');
      expect(commit(f, session).cookies).toEqual([
        'ui=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax',
      ]);
    });
  });

  describe('when the commit context vetoes the cookie', () => {
    it('should send nothing and ask with the namespace policy', () => {
      const f = factory({ setOnException: false });
      const session = load(f);
      session.set('a', 1);
      const ctx = new RecordingCommitContext('ui', undefined, 'exception', true);
      f.commit(session, ctx);
      expect(ctx.cookies).toEqual([]);
      expect(ctx.policies[0]!.cookieOnException).toBe(false);
    });

    it('should prefer cookieOnException over setOnException', () => {
      const f = factory({ setOnException: false, cookieOnException: true });
      const session = load(f);
      session.set('a', 1);
      const ctx = commit(f, session);
      expect(ctx.policies[0]!.cookieOnException).toBe(true);
    });
  });

  describe('when the session is regenerated or recookied', () => {
    it('should re-issue on regenerate()', async () => {
      const f = factory();
      const session = load(f, existing({ a: 1 }));
      await session.regenerate();
      expect(commit(f, session).cookies).toHaveLength(1);
    });

    it('should re-issue with the recookie() overrides', () => {
      const f = factory({ maxAge: 60 });
      const session = load(f, existing({ a: 1 }));
      session.recookie({ maxAge: 5 });
      expect(commit(f, session).cookies[0]).toContain('Max-Age=5;');
    });
  });

  describe('when committed twice', () => {
    it('should not send the cookie again for the same state', () => {
      const f = factory();
      const session = load(f);
      session.set('a', 1);
      expect(commit(f, session).cookies).toHaveLength(1);
      expect(commit(f, session).cookies).toEqual([]);
    });
  });

  describe('when the configured options shape the cookie', () => {
    it('should sign with the hash algorithm and salt and encode with the serializer', () => {
      const serializer = {
        serialize: (v: unknown) => `v1:${JSON.stringify(v)}`,
        deserialize: (t: string) => JSON.parse(t.slice(3)) as unknown,
      };
      const f = factory({ hashAlgorithm: 'sha256', salt: 's.', serializer });
      const session = load(f);
      session.set('a', 1);
      const value = commit(f, session).value();
      const mac = value.slice(value.lastIndexOf('.') + 1);
      expect(mac).toHaveLength(43);
      const payload = Buffer.from(value.slice(0, value.lastIndexOf('.')), 'base64url').toString();
      expect(payload).toBe(`v1:[${T0},${T0},{"a":1}]`);
      expect(new Signer([Buffer.from(SECRET_A)], 'sha256', 's.').unsign(value, 'ui')).toEqual({
        payload: Buffer.from(`v1:[${T0},${T0},{"a":1}]`).toString('base64url'),
        secretIndex: 0,
      });
    });

    it('should write maxAge, path, domain, sameSite and httpOnly', () => {
      const f = factory({
        maxAge: 3600,
        path: '/a',
        domain: 'example.com',
        sameSite: 'strict',
        httpOnly: false,
      });
      const session = load(f);
      session.set('a', 1);
      expect(commit(f, session).cookies[0]).toMatch(
        /^ui=[^;]+; Max-Age=3600; Domain=example\.com; Path=\/a; SameSite=Strict$/,
      );
    });
  });

  describe('when the cookie would exceed 4096 bytes', () => {
    it('should throw SessionCookieTooLargeError naming the namespace and send nothing', () => {
      const f = factory();
      const session = load(f);
      session.set('blob', 'x'.repeat(4000));
      const ctx = new RecordingCommitContext('ui');
      let error: unknown;
      try {
        f.commit(session, ctx);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SessionCookieTooLargeError);
      expect((error as SessionCookieTooLargeError).message).toMatch(
        /^Namespace "ui": the session cookie would be \d+ bytes \(name plus value\); browsers drop cookies above 4096\./,
      );
      expect((error as SessionCookieTooLargeError).bytes).toBeGreaterThan(4096);
      expect(ctx.cookies).toEqual([]);
    });
  });
});
