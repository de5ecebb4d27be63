import { afterEach, jest } from '@jest/globals';
import { ServerSessionFactory } from '../../../src/factories/server-session.factory';
import type { ServerSessionOptions } from '../../../src/factories/server-session.options';
import type { CookieVeto } from '../../../src/factories/session-factory.interface';
import { Signer } from '../../../src/crypto/signer';
import type { NamespacedSession } from '../../../src/session/session';
import {
  InvalidSessionNoCookie,
  InvalidSessionNotInStore,
  InvalidSessionSignature,
  type InvalidSession,
} from '../../../src/session/invalid-session.errors';
import { storeKey } from '../../../src/stores/store-key';
import { loadCtx, RecordingStore, TestCommitContext } from './server-session.fixtures';

const SECRET = 'server-secret-0123456789abcdef0123456789abcdef';
const OLD_SECRET = 'server-secret-old-0123456789abcdef0123456789ab';
const NS = 'cart';

function setup(options: Partial<ServerSessionOptions> = {}) {
  const store = (options.store as RecordingStore | undefined) ?? new RecordingStore();
  const reasons: InvalidSession[] = [];
  const factory = new ServerSessionFactory({
    secret: SECRET,
    cookieName: 'cart',
    onInvalidSession: (_req, reason) => reasons.push(reason),
    ...options,
    store,
  });
  factory.validate(NS);
  /** One request: load, act, commit. */
  const cycle = async (
    cookies: Record<string, string>,
    act: (s: NamespacedSession) => unknown = () => undefined,
    veto: CookieVeto = undefined,
  ) => {
    const session = await factory.load(loadCtx(NS, cookies));
    await act(session);
    const ctx = new TestCommitContext(NS, veto);
    await factory.commit(session, ctx);
    return { session, ctx };
  };
  /** A stored session with { item: 'apple' }; returns its cookies. */
  const seed = async () => {
    const { ctx } = await cycle({}, (s) => s.set('item', 'apple'));
    store.reset();
    return ctx.jar();
  };
  return { factory, store, reasons, cycle, seed };
}

afterEach(() => {
  jest.restoreAllMocks();
});

describe('ServerSessionFactory', () => {
  describe('when the request has no cookie and nothing is written', () => {
    it('should call no store method and send no cookie', async () => {
      const { store, cycle, reasons } = setup();
      const { ctx } = await cycle({}, (s) => s.get('item'));
      expect(store.ops()).toEqual([]);
      expect(ctx.cookies).toEqual([]);
      expect(reasons).toEqual([]);
    });

    it('should report InvalidSessionNoCookie only with reportMissingCookie', async () => {
      const { cycle, reasons } = setup({ reportMissingCookie: true });
      await cycle({});
      expect(reasons.map((r) => r.constructor)).toEqual([InvalidSessionNoCookie]);
    });
  });

  describe('when a new session gets data', () => {
    it('should write once with SET NX and the timeout as TTL, under the hashed id', async () => {
      const { store, cycle } = setup();
      const { ctx, session } = await cycle({}, (s) => s.set('item', 'apple'));
      expect(store.calls).toEqual([
        { op: 'set', key: storeKey(session.id!), ttl: 1200, onlyIfAbsent: true },
      ]);
      expect(ctx.cookies[0]).toMatch(
        /^cart=[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]+; Path=\/; HttpOnly; SameSite=Lax$/,
      );
      expect(store.onlyPayload()).toEqual({ m: { item: 'apple' }, c: session.created, v: 1 });
      expect([...store.data.keys()].some((k) => k.includes(session.id!))).toBe(false);
    });

    it('should draw a new id when the first one already exists', async () => {
      // validate() draws one id at start-up to check the generator's output.
      const ids = ['v'.repeat(43), 'a'.repeat(43), 'b'.repeat(43)];
      const { store, cycle } = setup({ idGenerator: () => ids.shift() ?? 'c'.repeat(43) });
      store.clashes = 1;
      const { session } = await cycle({}, (s) => s.set('item', 'apple'));
      expect(store.ops()).toEqual(['set', 'set']);
      expect(session.id).toBe('b'.repeat(43));
    });

    it('should write nothing when the cookie is vetoed', async () => {
      const { store, cycle } = setup();
      const { ctx } = await cycle({}, (s) => s.set('item', 'apple'), 'not-allowed');
      expect(store.ops()).toEqual([]);
      expect(ctx.cookies).toEqual([]);
    });
  });

  describe('when the cookie does not verify', () => {
    it('should refuse it without a store call and clear it', async () => {
      const { store, cycle, reasons, seed } = setup();
      const jar = await seed();
      const tampered = { cart: jar.cart!.slice(0, -2) + 'xx' };
      const { ctx, session } = await cycle(tampered);
      expect(store.ops()).toEqual([]);
      expect(session.isNew).toBe(true);
      expect(reasons.map((r) => r.constructor)).toEqual([InvalidSessionSignature]);
      expect(ctx.cookies[0]).toMatch(/^cart=; Max-Age=0;/);
    });

    it('should refuse a cookie minted for another namespace', async () => {
      const { store, cycle, seed } = setup();
      const jar = await seed();
      const other = new ServerSessionFactory({ store, secret: SECRET, cookieName: 'cart' });
      const session = await other.load(loadCtx('wishlist', jar));
      expect(session.isNew).toBe(true);
      expect(store.ops()).toEqual([]);
      await cycle({});
    });

    it('should refuse a signed value that is not an id shape before any store call', async () => {
      const { store, reasons, factory } = setup();
      const forged = new Signer([Buffer.from(SECRET)], 'sha512', 'nestjs-session-multi.server.');
      const session = await factory.load(
        loadCtx(NS, { cart: forged.sign('../../etc/passwd', NS) }),
      );
      expect(session.isNew).toBe(true);
      expect(store.ops()).toEqual([]);
      expect(reasons[0]?.message).toBe(
        'Namespace "cart": the session cookie does not hold a valid session id.',
      );
    });
  });

  describe('when the cookie names an id the store does not hold', () => {
    it('should report InvalidSessionNotInStore and create nothing', async () => {
      const { store, cycle, reasons, seed } = setup();
      const jar = await seed();
      store.data.clear();
      const { ctx } = await cycle(jar, (s) => s.get('item'));
      expect(store.ops()).toEqual(['get']);
      expect(store.data.size).toBe(0);
      expect(reasons.map((r) => r.constructor)).toEqual([InvalidSessionNotInStore]);
      expect(ctx.cookies[0]).toMatch(/^cart=; Max-Age=0;/);
    });
  });

  describe('when an existing session is only read (defaults)', () => {
    it('should GET, then EXPIRE with the timeout, and never rewrite', async () => {
      const { store, cycle, seed } = setup();
      const jar = await seed();
      const { ctx, session } = await cycle(jar, (s) => s.get('item'));
      expect(session.get('item')).toBe('apple');
      expect(store.calls.map((c) => [c.op, c.ttl])).toEqual([
        ['get', undefined],
        ['touch', 1200],
      ]);
      expect(ctx.cookies).toEqual([]);
    });
  });

  describe('when an existing session is written', () => {
    it('should GET then SET without NX', async () => {
      const { store, cycle, seed } = setup();
      const jar = await seed();
      await cycle(jar, (s) => s.set('item', 'pear'));
      expect(store.calls.map((c) => [c.op, c.ttl, c.onlyIfAbsent])).toEqual([
        ['get', undefined, undefined],
        ['set', 1200, undefined],
      ]);
      expect(store.onlyPayload()['m']).toEqual({ item: 'pear' });
    });

    it('should find a nested mutation with detectChanges, and miss it without', async () => {
      for (const detectChanges of [true, false]) {
        const { store, cycle } = setup({ detectChanges });
        const { ctx } = await cycle({}, (s) => s.set('list', [1]));
        store.reset();
        await cycle(ctx.jar(), (s) => (s.get('list') as number[]).push(2));
        expect(store.ops()).toEqual(detectChanges ? ['get', 'set'] : ['get', 'touch']);
      }
    });

    it.each<[string, (s: NamespacedSession) => void]>([
      ['values()', (s) => (s.values()[0] as number[]).push(2)],
      ['entries()', (s) => (s.entries()[0]![1] as number[]).push(2)],
      ['setDefault()', (s) => (s.setDefault('list', []) as number[]).push(2)],
    ])('should find a nested mutation made through %s', async (_name, mutate) => {
      const { store, cycle } = setup();
      const { ctx } = await cycle({}, (s) => s.set('list', [1]));
      store.reset();
      await cycle(ctx.jar(), mutate);
      expect(store.ops()).toEqual(['get', 'set']);
      expect(store.onlyPayload()['m']).toEqual({ list: [1, 2] });
    });

    it('should compare with what it wrote when a reference handed out earlier changes later', async () => {
      const { factory, store, cycle } = setup();
      const { ctx } = await cycle({}, (s) => s.set('list', [1]));
      store.reset();
      let list: number[] = [];
      const { session } = await cycle(ctx.jar(), (s) => {
        list = s.get('list') as number[];
        s.set('note', 'n');
      });
      expect(store.ops()).toEqual(['get', 'set']);
      // The container settles the session after its commit; then the old reference changes and
      // the handler reads again (a second commit on the same request, e.g. the response gate's).
      session.state.accessed = false;
      list.push(2);
      session.get('list');
      await factory.commit(session, new TestCommitContext(NS));
      expect(store.ops()).toEqual(['get', 'set', 'set']);
      expect(store.onlyPayload()['m']).toEqual({ list: [1, 2], note: 'n' });
    });

    it('should compare with what it wrote when an object the caller stored changes later', async () => {
      const { factory, store, cycle } = setup();
      const list = [1];
      const { session } = await cycle({}, (s) => s.set('list', list));
      expect(store.ops()).toEqual(['set']);
      session.state.accessed = false;
      list.push(2);
      session.get('list');
      await factory.commit(session, new TestCommitContext(NS));
      expect(store.ops()).toEqual(['set', 'set']);
      expect(store.onlyPayload()['m']).toEqual({ list: [1, 2] });
    });

    it('should compare again when only a number is read after a reference handed out earlier changed', async () => {
      const { factory, store, cycle } = setup();
      const { ctx } = await cycle({}, (s) => s.update({ tags: [], n: 0 }));
      store.reset();
      let tags: string[] = [];
      const { session } = await cycle(ctx.jar(), (s) => {
        tags = s.get('tags') as string[];
        s.set('n', 1);
      });
      session.state.accessed = false;
      tags.push('late');
      session.get('n');
      await factory.commit(session, new TestCommitContext(NS));
      expect(store.ops()).toEqual(['get', 'set', 'set']);
      expect(store.onlyPayload()['m']).toEqual({ tags: ['late'], n: 1 });
    });

    it('should write nothing when the cookie is vetoed by an exception', async () => {
      const { store, cycle, seed } = setup();
      const jar = await seed();
      await cycle(jar, (s) => s.set('item', 'pear'), 'exception');
      expect(store.ops()).toEqual(['get']);
    });
  });

  describe('when invalidate() is called on an existing session', () => {
    it('should DEL at once and clear the cookie', async () => {
      const { store, cycle, seed } = setup();
      const jar = await seed();
      const { ctx } = await cycle(jar, async (s) => {
        await s.invalidate();
        expect(store.ops()).toEqual(['get', 'delete']);
        await s.invalidate();
      });
      expect(store.ops()).toEqual(['get', 'delete']);
      expect(store.data.size).toBe(0);
      expect(ctx.cookies[0]).toMatch(/^cart=; Max-Age=0; Path=\/; Expires=Thu, 01 Jan 1970/);
    });

    it('should start a new session with a new id when data is written afterwards', async () => {
      const { store, cycle, seed } = setup();
      const jar = await seed();
      const { ctx } = await cycle(jar, async (s) => {
        await s.invalidate();
        s.set('fresh', true);
      });
      expect(store.ops()).toEqual(['get', 'delete', 'set']);
      expect(store.calls[2]?.onlyIfAbsent).toBe(true);
      expect(ctx.jar().cart).not.toBe(jar.cart);
      expect(store.onlyPayload()['m']).toEqual({ fresh: true });
    });
  });

  describe('when regenerate() is called', () => {
    it('should write the data under a new id before deleting the old record, and re-issue the cookie', async () => {
      const { store, cycle, seed } = setup();
      const jar = await seed();
      const { ctx, session } = await cycle(jar, (s) => s.regenerate());
      expect(store.ops()).toEqual(['get', 'set', 'delete']);
      expect(store.calls[1]!.key).not.toBe(store.calls[2]!.key);
      expect(store.onlyPayload()['m']).toEqual({ item: 'apple' });
      expect(ctx.jar().cart).not.toBe(jar.cart);
      expect(session.get('item')).toBe('apple');
      const replay = await cycle(jar);
      expect(replay.session.isNew).toBe(true);
    });

    it('should write a change made after ensureId() under the new id, not the loaded one', async () => {
      const { store, cycle, seed } = setup();
      const jar = await seed();
      const { ctx } = await cycle(jar, async (s) => {
        await s.regenerate();
        await s.ensureId();
        s.set('item', 'pear');
      });
      const [newKey, oldKey] = [store.calls[1]!.key, store.calls[2]!.key];
      expect(store.ops()).toEqual(['get', 'set', 'delete', 'set']);
      expect(store.calls[3]!.key).toBe(newKey);
      expect(store.data.has(oldKey)).toBe(false);
      const next = await cycle(ctx.jar());
      expect(next.session.get('item')).toBe('pear');
    });
  });

  describe('when rolling is on and a read refreshes the session (maxAge set)', () => {
    it('should re-send the cookie with a fresh Max-Age after the refresh', async () => {
      const { store, cycle, seed } = setup({ rolling: true, maxAge: 3600 });
      const jar = await seed();
      const { ctx } = await cycle(jar, (s) => s.get('item'));
      expect(store.ops()).toEqual(['get', 'touch']);
      expect(ctx.cookies).toHaveLength(1);
      expect(ctx.cookies[0]).toMatch(/^cart=[^;]+; Max-Age=3600;/);
      expect(ctx.jar().cart).toBe(jar.cart);
    });

    it('should send no cookie when the refresh fails, and still answer', async () => {
      const { store, cycle, seed } = setup({ rolling: true, maxAge: 3600 });
      const jar = await seed();
      const { ctx, session } = await cycle(jar, (s) => {
        store.failWith = new Error('write refused');
        return s.get('item');
      });
      store.failWith = undefined;
      expect(session.get('item')).toBe('apple');
      expect(ctx.cookies).toEqual([]);
    });
  });

  describe('when rolling is off (the default)', () => {
    it('should send no cookie on a read that refreshes the TTL', async () => {
      const { store, cycle, seed } = setup({ maxAge: 3600 });
      const jar = await seed();
      const { ctx } = await cycle(jar, (s) => s.get('item'));
      expect(store.ops()).toEqual(['get', 'touch']);
      expect(ctx.cookies).toEqual([]);
    });
  });

  describe("when onConflict is 'overwrite' and another request deleted the record", () => {
    it('should write nothing (SET XX) and reject with SessionConflictError', async () => {
      const { store, factory, seed } = setup({ onConflict: 'overwrite' });
      const jar = await seed();
      const session = await factory.load(loadCtx(NS, jar));
      session.set('item', 'pear');
      store.data.clear();
      await expect(factory.commit(session, new TestCommitContext(NS))).rejects.toMatchObject({
        name: 'SessionConflictError',
        reason: 'ended',
      });
      expect(store.data.size).toBe(0);
    });
  });

  describe('when regenerate() cannot write the new record', () => {
    it('should reject, leave the old record as it was and send no cookie', async () => {
      const { store, cycle, seed } = setup();
      const jar = await seed();
      const before = new Map(store.data);
      const { ctx } = await cycle(jar, async (s) => {
        store.failWith = new Error('write refused');
        await expect(s.regenerate()).rejects.toMatchObject({ operation: 'set' });
        store.failWith = undefined;
      });
      expect(store.data).toEqual(before);
      expect(ctx.cookies).toEqual([]);
      const replay = await cycle(jar);
      expect(replay.session.get('item')).toBe('apple');
    });
  });

  describe('when an existing session is emptied', () => {
    it('should DEL it and clear the cookie (invalidateEmptySession)', async () => {
      const { store, cycle, seed } = setup();
      const jar = await seed();
      const { ctx } = await cycle(jar, (s) => s.clear());
      expect(store.ops()).toEqual(['get', 'delete']);
      expect(ctx.cookies[0]).toMatch(/^cart=; Max-Age=0;/);
    });

    it('should keep the empty record with invalidateEmptySession: false', async () => {
      const { store, cycle, seed } = setup({ invalidateEmptySession: false });
      const jar = await seed();
      const { ctx } = await cycle(jar, (s) => s.clear());
      expect(store.ops()).toEqual(['get', 'set']);
      expect(store.onlyPayload()['m']).toEqual({});
      expect(ctx.cookies).toEqual([]);
    });
  });

  describe('when ensureId() is called on a new session', () => {
    it('should write the record at once and send the cookie at commit without a second write', async () => {
      const { store, cycle } = setup();
      const { ctx, session } = await cycle({}, async (s) => {
        s.set('item', 'apple');
        const id = await s.ensureId();
        expect(store.ops()).toEqual(['set']);
        expect(await s.ensureId()).toBe(id);
        expect(await s.idSafecheck()).toBe(id);
      });
      expect(store.ops()).toEqual(['set']);
      expect(ctx.cookies).toHaveLength(1);
      expect(session.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    });

    it('should delete the record when the cookie is vetoed (no orphan)', async () => {
      const { store, cycle } = setup();
      await cycle(
        {},
        async (s) => {
          s.set('item', 'apple');
          await s.ensureId();
        },
        'exception',
      );
      expect(store.ops()).toEqual(['set', 'delete']);
      expect(store.data.size).toBe(0);
    });

    it('should delete the record of a session that stays empty', async () => {
      const { store, cycle } = setup();
      const { ctx } = await cycle({}, (s) => s.ensureId());
      expect(store.ops()).toEqual(['set', 'delete']);
      expect(ctx.cookies).toEqual([]);
    });
  });

  describe('when the cookie was signed by an older secret', () => {
    it('should re-issue it under the newest secret on a read', async () => {
      const { store, cycle } = setup({ secret: OLD_SECRET });
      const { ctx } = await cycle({}, (s) => s.set('item', 'apple'));
      const rotated = setup({ store, secret: [SECRET, OLD_SECRET] });
      store.reset();
      const read = await rotated.cycle(ctx.jar(), (s) => s.get('item'));
      expect(read.session.get('item')).toBe('apple');
      expect(store.ops()).toEqual(['get', 'touch']);
      const newest = setup({ store, secret: SECRET });
      expect((await newest.cycle(read.ctx.jar())).session.isNew).toBe(false);
    });
  });

  describe('when recookie() is called on an existing session', () => {
    it('should re-send the same id with the overrides, next to the usual refresh', async () => {
      const { store, cycle, seed } = setup({ maxAge: 3600 });
      const jar = await seed();
      const { ctx } = await cycle(jar, (s) => s.recookie({ maxAge: 60 }));
      expect(store.ops()).toEqual(['get', 'touch']);
      expect(ctx.cookies[0]).toMatch(/^cart=[^;]+; Max-Age=60; Path=\/; HttpOnly; SameSite=Lax$/);
      expect(ctx.jar().cart).toBe(jar.cart);
    });

    it('should write nothing and send nothing when the cookie is vetoed', async () => {
      const { store, cycle, seed } = setup();
      const jar = await seed();
      const { ctx } = await cycle(jar, (s) => s.recookie(), 'not-allowed');
      expect(store.ops()).toEqual(['get']);
      expect(ctx.cookies).toEqual([]);
    });
  });

  describe('close()', () => {
    it('should close its store', async () => {
      const { store, factory } = setup();
      await factory.close();
      expect(store.closed).toBe(1);
    });
  });
});
