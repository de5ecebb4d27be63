import { afterEach, jest } from '@jest/globals';
import { ServerSessionFactory } from '../../../src/factories/server-session.factory';
import type { ServerSessionOptions } from '../../../src/factories/server-session.options';
import type { NamespacedSession } from '../../../src/session/session';
import {
  InvalidSessionLifetime,
  InvalidSessionTimeout,
  type InvalidSession,
} from '../../../src/session/invalid-session.errors';
import { loadCtx, RecordingStore, TestCommitContext } from './server-session.fixtures';

const SECRET = 'server-secret-0123456789abcdef0123456789abcdef';
const NS = 'auth';
const T0 = 1_800_000_000;

let clock = T0;
function at(seconds: number): void {
  clock = T0 + seconds;
}

function setup(options: Partial<ServerSessionOptions> = {}) {
  jest.spyOn(Date, 'now').mockImplementation(() => clock * 1000);
  at(0);
  const store = new RecordingStore({ getAndTouch: options.touchOnRead === true });
  const reasons: InvalidSession[] = [];
  const factory = new ServerSessionFactory({
    secret: SECRET,
    cookieName: 'auth',
    onInvalidSession: (_req, reason) => reasons.push(reason),
    ...options,
    store,
  });
  factory.validate(NS);
  const cycle = async (
    cookies: Record<string, string>,
    act: (s: NamespacedSession) => unknown = (s) => s.get('user'),
  ) => {
    const session = await factory.load(loadCtx(NS, cookies));
    await act(session);
    const ctx = new TestCommitContext(NS);
    await factory.commit(session, ctx);
    return { session, ctx };
  };
  const seed = async (act: (s: NamespacedSession) => unknown = () => undefined) => {
    const { ctx } = await cycle({}, async (s) => {
      s.set('user', 'ada');
      await act(s);
    });
    store.reset();
    return ctx.jar();
  };
  /** [op, ttl] of each call since the last reset. */
  const calls = () => store.calls.map((c) => [c.op, c.ttl]);
  return { factory, store, reasons, cycle, seed, calls };
}

afterEach(() => {
  jest.restoreAllMocks();
});

describe('ServerSessionFactory timeouts', () => {
  describe('when timeoutTrigger is set', () => {
    it('should write x into the payload and send only a GET before the window', async () => {
      const { store, cycle, seed, calls } = setup({ timeout: 1200, timeoutTrigger: 600 });
      const jar = await seed();
      expect(store.onlyPayload()['x']).toBe(T0 + 1200);
      at(599);
      await cycle(jar);
      expect(calls()).toEqual([['get', undefined]]);
    });

    it('should rewrite with x moved to now + timeout inside the window', async () => {
      const { store, cycle, seed, calls } = setup({ timeout: 1200, timeoutTrigger: 600 });
      const jar = await seed();
      at(600);
      await cycle(jar);
      expect(calls()).toEqual([
        ['get', undefined],
        ['set', 1200],
      ]);
      expect(store.onlyPayload()['x']).toBe(T0 + 1800);
    });

    it('should refuse the session once x has passed and delete its record', async () => {
      const { store, cycle, seed, reasons } = setup({ timeout: 1200, timeoutTrigger: 600 });
      const jar = await seed();
      at(1200);
      const { session } = await cycle(jar);
      expect(session.isNew).toBe(true);
      expect(store.ops()).toEqual(['get', 'delete']);
      expect(reasons.map((r) => r.constructor)).toEqual([InvalidSessionTimeout]);
    });
  });

  describe('when expiryInPayload is on without a trigger', () => {
    it('should rewrite at most once per tenth of the timeout', async () => {
      const { cycle, seed, calls, store } = setup({ timeout: 1000, expiryInPayload: true });
      const jar = await seed();
      at(99);
      await cycle(jar);
      expect(calls()).toEqual([['get', undefined]]);
      store.reset();
      at(100);
      await cycle(jar);
      expect(calls()).toEqual([
        ['get', undefined],
        ['set', 1000],
      ]);
    });
  });

  describe('when the store keeps no TTL (LRU mode)', () => {
    it('should write without a TTL, never EXPIRE, and enforce x from the payload', async () => {
      const { store, cycle, seed, calls, reasons } = setup({
        timeout: 600,
        setStoreTtl: false,
        timeoutTrigger: 300,
      });
      const jar = await seed();
      expect(store.data.values().next().value?.ttl).toBeUndefined();
      at(100);
      await cycle(jar);
      at(400);
      await cycle(jar, (s) => s.set('user', 'grace'));
      expect(calls()).toEqual([
        ['get', undefined],
        ['get', undefined],
        ['set', undefined],
      ]);
      at(400 + 600);
      await cycle(jar);
      expect(reasons.map((r) => r.constructor)).toEqual([InvalidSessionTimeout]);
    });
  });

  describe('when timeout is 0 (no timeout)', () => {
    it('should write without TTL or x and never refresh', async () => {
      const { store, cycle, seed, calls } = setup({ timeout: 0 });
      const jar = await seed();
      expect(store.onlyPayload()).toEqual({ m: { user: 'ada' }, c: T0, v: 1 });
      at(1_000_000);
      await cycle(jar);
      expect(calls()).toEqual([['get', undefined]]);
    });
  });

  describe('when touchOnRead is on', () => {
    it('should read and reset the TTL in one call and send nothing at commit', async () => {
      const { cycle, seed, calls } = setup({ touchOnRead: true, timeout: 900 });
      const jar = await seed();
      await cycle(jar);
      expect(calls()).toEqual([['getAndTouch', 900]]);
    });

    it('should add an EXPIRE for a session with its own timeout', async () => {
      const { cycle, seed, calls } = setup({ touchOnRead: true, timeout: 900 });
      const jar = await seed((s) => s.adjustTimeout(60));
      await cycle(jar);
      expect(calls()).toEqual([
        ['getAndTouch', 900],
        ['touch', 60],
      ]);
    });
  });

  describe('when adjustTimeout() is called', () => {
    it('should store t and use it as the TTL from then on', async () => {
      const { store, cycle, seed, calls } = setup();
      const jar = await seed();
      await cycle(jar, (s) => s.adjustTimeout(86400));
      expect(store.onlyPayload()['t']).toBe(86400);
      store.reset();
      await cycle(jar);
      expect(calls()).toEqual([
        ['get', undefined],
        ['touch', 86400],
      ]);
    });
  });

  describe('when adjustExpires() is called', () => {
    it('should store x, cap the TTL by it, and refuse the session after it', async () => {
      const { store, cycle, seed, calls, reasons } = setup();
      const jar = await seed();
      await cycle(jar, (s) => s.adjustExpires(T0 + 300));
      expect(store.onlyPayload()['x']).toBe(T0 + 300);
      store.reset();
      at(100);
      await cycle(jar);
      expect(calls()).toEqual([
        ['get', undefined],
        ['touch', 200],
      ]);
      at(300);
      await cycle(jar);
      expect(reasons.map((r) => r.constructor)).toEqual([InvalidSessionTimeout]);
    });

    it('should delete the session when the expiry is already past', async () => {
      const { store, cycle, seed } = setup();
      const jar = await seed();
      const { ctx } = await cycle(jar, (s) => s.adjustExpires(T0 - 1));
      expect(store.ops()).toEqual(['get', 'delete']);
      expect(ctx.cookies[0]).toMatch(/^auth=; Max-Age=0;/);
    });
  });

  describe('when maxLifetime is set', () => {
    it('should cap the TTL and refuse the session once it is reached', async () => {
      const { cycle, seed, calls, reasons } = setup({ maxLifetime: 1500 });
      const jar = await seed();
      at(1000);
      await cycle(jar);
      expect(calls()).toEqual([
        ['get', undefined],
        ['touch', 500],
      ]);
      at(1500);
      await cycle(jar);
      expect(reasons.map((r) => r.constructor)).toEqual([InvalidSessionLifetime]);
    });
  });
});
