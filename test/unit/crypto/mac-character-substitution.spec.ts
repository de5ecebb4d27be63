import { jest } from '@jest/globals';
import { EncryptedCookieSessionFactory } from '../../../src/factories/encrypted-cookie-session.factory';
import { ServerSessionFactory } from '../../../src/factories/server-session.factory';
import { SignedCookieSessionFactory } from '../../../src/factories/signed-cookie-session.factory';
import {
  InvalidSessionSignature,
  type InvalidSession,
} from '../../../src/session/invalid-session.errors';
import { MemoryStore } from '../../../src/stores/memory.store';
import { loadContext, RecordingCommitContext } from '../../support/factory-context';

const NS = 'ui';
const SECRET = 'mac-substitution-secret-0123456789abcdef0123';
const KEY = Buffer.alloc(32, 9);

/** Replaces the character at `index` by U+0100 + its code: Node's latin1 and base64 read it as before. */
function widen(text: string, index: number): string {
  return `${text.slice(0, index)}${String.fromCharCode(0x100 + text.charCodeAt(index))}${text.slice(index + 1)}`;
}

function replaceAt(text: string, index: number, char: string): string {
  return `${text.slice(0, index)}${char}${text.slice(index + 1)}`;
}

interface Case {
  name: string;
  build: (
    onInvalidSession: (req: unknown, reason: InvalidSession) => void,
  ) => SignedCookieSessionFactory | ServerSessionFactory | EncryptedCookieSessionFactory;
  /** Where the MAC or the sealed text starts in a cookie value. */
  protectedFrom: (cookie: string) => number;
}

const store = new MemoryStore({ sweepInterval: 0 });

const cases: Case[] = [
  {
    name: 'SignedCookieSessionFactory',
    build: (onInvalidSession) =>
      new SignedCookieSessionFactory({ secret: SECRET, cookieName: NS, onInvalidSession }),
    protectedFrom: (cookie) => cookie.lastIndexOf('.') + 1,
  },
  {
    name: 'ServerSessionFactory',
    build: (onInvalidSession) =>
      new ServerSessionFactory({ secret: SECRET, cookieName: NS, store, onInvalidSession }),
    protectedFrom: (cookie) => cookie.lastIndexOf('.') + 1,
  },
  {
    name: 'EncryptedCookieSessionFactory',
    build: (onInvalidSession) =>
      new EncryptedCookieSessionFactory({ key: KEY, cookieName: NS, onInvalidSession }),
    protectedFrom: () => 0,
  },
];

afterAll(() => store.close());

describe.each(cases)('$name', ({ build, protectedFrom }) => {
  const hook = jest.fn<(req: unknown, reason: InvalidSession) => void>();
  const factory = build(hook);
  let cookie: string;

  async function load(value: string): Promise<{ isNew: boolean; data: unknown }> {
    const session = await factory.load(loadContext(NS, { [NS]: value }));
    return { isNew: session.isNew, data: session.toJSON() };
  }

  async function expectRefused(value: string): Promise<void> {
    hook.mockClear();
    expect(await load(value)).toEqual({ isNew: true, data: {} });
    expect(hook).toHaveBeenCalledTimes(1);
    expect(hook.mock.calls[0]![1]).toBeInstanceOf(InvalidSessionSignature);
  }

  beforeAll(async () => {
    factory.validate(NS);
    const session = await factory.load(loadContext(NS));
    session.set('user', 'ada');
    const ctx = new RecordingCommitContext(NS);
    await factory.commit(session, ctx);
    cookie = ctx.value();
  });

  describe('when the cookie is the one the factory issued', () => {
    it('should load its data (control for the cases below)', async () => {
      expect(await load(cookie)).toEqual({ isNew: false, data: { user: 'ada' } });
    });
  });

  describe('when one MAC or sealed character c is replaced by U+0100+c', () => {
    it('should start a new session for every position, reporting a bad signature', async () => {
      for (let i = protectedFrom(cookie); i < cookie.length; i++) {
        await expectRefused(widen(cookie, i));
      }
    });
  });

  describe('when a MAC or sealed character is outside the base64url alphabet', () => {
    it.each(['+', '/', '=', ' ', '.', '\u00e9', '\uD800'])(
      'should start a new session for "%s"',
      async (char) => {
        await expectRefused(replaceAt(cookie, cookie.length - 2, char));
      },
    );
  });

  describe('when the MAC or sealed text has the wrong length', () => {
    it.each<[string, (value: string) => string]>([
      ['one character short', (v) => v.slice(0, -1)],
      ['one character long', (v) => `${v}A`],
      ['padded', (v) => `${v}=`],
      ['cut in half', (v) => v.slice(0, protectedFrom(v) + (v.length - protectedFrom(v)) / 2)],
    ])('should start a new session when %s', async (_case, mutate) => {
      await expectRefused(mutate(cookie));
    });
  });
});

describe('SignedCookieSessionFactory payload', () => {
  describe('when one payload character c is replaced by U+0100+c', () => {
    it('should start a new session for every position', async () => {
      const hook = jest.fn<(req: unknown, reason: InvalidSession) => void>();
      const factory = new SignedCookieSessionFactory({
        secret: SECRET,
        cookieName: NS,
        onInvalidSession: hook,
      });
      const session = factory.load(loadContext(NS));
      session.set('user', 'ada');
      const ctx = new RecordingCommitContext(NS);
      factory.commit(session, ctx);
      const cookie = ctx.value();
      for (let i = 0; i < cookie.lastIndexOf('.'); i++) {
        expect(factory.load(loadContext(NS, { [NS]: widen(cookie, i) })).isNew).toBe(true);
      }
      expect(hook).toHaveBeenCalledTimes(cookie.lastIndexOf('.'));
    });
  });
});
