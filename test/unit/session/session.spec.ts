import { jest } from '@jest/globals';
import { NamespacedSession } from '../../../src/session/session';
import type { SessionBackend } from '../../../src/session/session-backend.interface';
import { SessionValueError } from '../../../src/session/session-multi.error';

interface Cart {
  items: { sku: string; qty: number }[];
  coupon?: string;
  note?: string;
}

function fakeBackend(): SessionBackend & {
  invalidate: jest.Mock<SessionBackend['invalidate']>;
  regenerate: jest.Mock<SessionBackend['regenerate']>;
  ensureId: jest.Mock<SessionBackend['ensureId']>;
  idOf: jest.Mock<SessionBackend['idOf']>;
} {
  return {
    idOf: jest.fn<SessionBackend['idOf']>(() => 'the-id'),
    ensureId: jest.fn<SessionBackend['ensureId']>(() => Promise.resolve('ensured-id')),
    invalidate: jest.fn<SessionBackend['invalidate']>(() => Promise.resolve()),
    regenerate: jest.fn<SessionBackend['regenerate']>(() => Promise.resolve()),
  };
}

function session<T extends object = Record<string, unknown>>(
  data: Record<string, unknown> = {},
  backend: SessionBackend = fakeBackend(),
  isNew = false,
): NamespacedSession<T> {
  return new NamespacedSession<T>({
    namespace: 'cart',
    data,
    created: 1_700_000_000,
    isNew,
    backend,
    baseline: JSON.stringify(data),
  });
}

describe('NamespacedSession', () => {
  describe('when created', () => {
    it('should expose namespace, created and isNew as given', () => {
      const s = session({}, fakeBackend(), true);
      expect(s.namespace).toBe('cart');
      expect(s.created).toBe(1_700_000_000);
      expect(s.isNew).toBe(true);
      expect(session().isNew).toBe(false);
    });

    it('should start neither dirty nor accessed', () => {
      const s = session({ a: 1 });
      expect(s.state.dirty).toBe(false);
      expect(s.state.accessed).toBe(false);
    });

    it('should take the id from its backend', () => {
      const backend = fakeBackend();
      expect(session({}, backend).id).toBe('the-id');
      expect(backend.idOf).toHaveBeenCalledTimes(1);
    });
  });

  describe('when read through the dict API', () => {
    it('should get a value, or undefined, or the fallback', () => {
      const s = session({ a: 1 });
      expect(s.get('a')).toBe(1);
      expect(s.get('b')).toBeUndefined();
      expect(s.get('b', 'dflt')).toBe('dflt');
    });

    it('should not see inherited properties as keys', () => {
      const s = session();
      expect(s.get('toString')).toBeUndefined();
      expect(s.has('toString')).toBe(false);
      expect(s.has('constructor')).toBe(false);
    });

    it('should list keys, values, entries and size', () => {
      const s = session({ a: 1, b: 'two' });
      expect(s.has('a')).toBe(true);
      expect(s.keys()).toEqual(['a', 'b']);
      expect(s.values()).toEqual([1, 'two']);
      expect(s.entries()).toEqual([
        ['a', 1],
        ['b', 'two'],
      ]);
      expect(s.size).toBe(2);
    });

    it.each<[string, (s: NamespacedSession) => unknown]>([
      ['get', (s) => s.get('obj')],
      ['values', (s) => s.values()],
      ['entries', (s) => s.entries()],
      ['setDefault', (s) => s.setDefault('obj', {})],
      ['peekFlash', (s) => s.peekFlash()],
    ])('should mark the session accessed, not dirty, when %s hands out a reference', (_n, read) => {
      const s = session({ a: 1, obj: { n: 1 } });
      read(s);
      expect(s.state.accessed).toBe(true);
      expect(s.state.dirty).toBe(false);
    });

    it.each<[string, Record<string, unknown>, (s: NamespacedSession) => unknown]>([
      ['get of a scalar', { a: 1, obj: {} }, (s) => s.get('a')],
      ['get of a missing key', { obj: {} }, (s) => s.get('missing', 3)],
      ['has', { obj: {} }, (s) => s.has('obj')],
      ['keys', { obj: {} }, (s) => s.keys()],
      ['size', { obj: {} }, (s) => s.size],
      ['values of scalars', { a: 1, b: 'two', c: null }, (s) => s.values()],
      ['entries of scalars', { a: 1, b: true }, (s) => s.entries()],
    ])('should mark nothing on %s (nothing can be mutated through it)', (_name, data, read) => {
      const s = session(data);
      read(s);
      expect(s.state.accessed).toBe(false);
      expect(s.state.dirty).toBe(false);
    });

    it.each<[string, (s: NamespacedSession) => void, boolean]>([
      ['set of an object', (s) => s.set('o', { n: 1 }), true],
      ['update with an array', (s) => s.update({ a: [1] }), true],
      ['setDefault of an absent key with an object', (s) => s.setDefault('o', {}), true],
      ['flash of an object', (s) => s.flash({ text: 'saved' }), true],
      ['set of a number', (s) => s.set('n', 2), false],
      ['update with scalars', (s) => s.update({ a: 1, b: 'x' }), false],
      ['flash of a string', (s) => s.flash('saved'), false],
    ])('should note whether the caller still holds an object it stored (%s)', (_n, write, held) => {
      const s = session();
      write(s);
      expect(s.state.exposed).toBe(held);
      expect(s.state.dirty).toBe(true);
    });

    it('should count every read as an access once a reference has left the session', () => {
      const s = session({ a: 1, obj: { n: 1 } });
      s.get('obj');
      s.state.accessed = false; // as a commit leaves it
      const version = s.state.version;
      s.get('a');
      expect(s.state.accessed).toBe(true);
      expect(s.state.version).toBe(version + 1);
    });

    it('should take a pending baseline when the first reference leaves, not before', () => {
      const s = new NamespacedSession({
        namespace: 'cart',
        data: { items: [1] },
        created: 1,
        isNew: false,
        backend: fakeBackend(),
        baseline: undefined,
        baselinePending: true,
      });
      s.get('missing');
      s.set('note', 'n');
      expect(s.state.baseline).toBeUndefined();
      (s.get('items') as number[]).push(2);
      expect(s.state.baseline).toBe('{"items":[1],"note":"n"}');
      expect(s.state.baselinePending).toBe(false);
    });

    it('should give a deep copy from toJSON, without marking anything', () => {
      const s = session({ nested: { n: 1 } });
      const copy = s.toJSON() as { nested: { n: number } };
      copy.nested.n = 2;
      expect(s.get('nested')).toEqual({ n: 1 });
      expect(JSON.stringify(s)).toBe('{"nested":{"n":1}}');
    });
  });

  describe('when written through the dict API', () => {
    it('should set and return the session for chaining', () => {
      const s = session<Cart>();
      expect(s.set('coupon', 'X').set('note', 'n')).toBe(s);
      expect(s.toJSON()).toEqual({ coupon: 'X', note: 'n' });
      expect(s.state.dirty).toBe(true);
    });

    it('should delete a key and report whether it was there', () => {
      const s = session({ a: 1 });
      expect(s.delete('a')).toBe(true);
      expect(s.state.dirty).toBe(true);
      expect(s.has('a')).toBe(false);
    });

    it('should not mark dirty when deleting an absent key', () => {
      const s = session({ a: 1 });
      expect(s.delete('b')).toBe(false);
      expect(s.state.dirty).toBe(false);
    });

    it('should clear all data', () => {
      const s = session({ a: 1, b: 2 });
      s.clear();
      expect(s.size).toBe(0);
      expect(s.state.dirty).toBe(true);
    });

    it('should not mark dirty when clearing an empty session', () => {
      const s = session();
      s.clear();
      expect(s.state.dirty).toBe(false);
    });

    it('should update several keys at once', () => {
      const s = session({ a: 1 });
      s.update({ b: 2, c: [3] });
      expect(s.toJSON()).toEqual({ a: 1, b: 2, c: [3] });
      expect(s.state.dirty).toBe(true);
    });

    it('should pop a present key, returning its value', () => {
      const s = session({ a: 1 });
      expect(s.pop('a')).toBe(1);
      expect(s.has('a')).toBe(false);
      expect(s.state.dirty).toBe(true);
    });

    it('should pop an absent key, returning the fallback without marking dirty', () => {
      const s = session({});
      expect(s.pop('a', 5)).toBe(5);
      expect(s.pop('a')).toBeUndefined();
      expect(s.state.dirty).toBe(false);
    });

    it('should setDefault an absent key, storing the fallback', () => {
      const s = session();
      expect(s.setDefault('a', 7)).toBe(7);
      expect(s.get('a')).toBe(7);
      expect(s.state.dirty).toBe(true);
    });

    it('should setDefault a present key, keeping its value', () => {
      const s = session({ a: 1 });
      expect(s.setDefault('a', 7)).toBe(1);
      expect(s.state.dirty).toBe(false);
      expect(s.state.accessed).toBe(false);
    });

    it('should mark dirty on changed()', () => {
      const s = session<Cart>({ items: [] });
      s.get('items')!.push({ sku: 'x', qty: 1 });
      expect(s.state.dirty).toBe(false);
      s.changed();
      expect(s.state.dirty).toBe(true);
    });
  });

  describe('when a value is not JSON', () => {
    const cyclic = (): Record<string, unknown> => {
      const o: Record<string, unknown> = {};
      o['me'] = o;
      return o;
    };

    it.each<[string, () => unknown]>([
      ['undefined', () => undefined],
      ['a function', () => () => 1],
      ['a Date', () => new Date()],
      ['a Map', () => new Map()],
      ['a bigint', () => 1n],
      ['NaN', () => NaN],
      ['a cycle', cyclic],
    ])('should throw SessionValueError from set() for %s and keep the data', (_case, make) => {
      const s = session({ a: 1 });
      expect(() => s.set('a', make() as never)).toThrow(SessionValueError);
      expect(s.toJSON()).toEqual({ a: 1 });
      expect(s.state.dirty).toBe(false);
    });

    it.each(['__proto__', 'constructor', 'prototype'])(
      'should refuse the reserved key %s',
      (key) => {
        const s = session();
        expect(() => s.set(key, 1)).toThrow(
          new SessionValueError(
            `Session key "${key}" is reserved or not a string. Use another key name.`,
          ),
        );
        expect(s.size).toBe(0);
        expect(({} as Record<string, unknown>)['x']).toBeUndefined();
      },
    );

    it('should refuse a non-string key', () => {
      expect(() => session().set(1 as never, 1)).toThrow(
        'Session key "1" is reserved or not a string.',
      );
    });

    it('should apply nothing from update() when one value is bad', () => {
      const s = session({ a: 1 });
      expect(() => s.update({ b: 2, c: new Date() })).toThrow(SessionValueError);
      expect(s.toJSON()).toEqual({ a: 1 });
    });

    it('should refuse a bad fallback in setDefault()', () => {
      expect(() => session().setDefault('a', undefined as never)).toThrow(SessionValueError);
    });
  });

  describe('when invalidated', () => {
    it('should drop the data, become new, and ask the backend to delete the record', async () => {
      const backend = fakeBackend();
      const s = session({ a: 1 }, backend);
      s.set('b', 2);
      await s.invalidate();
      expect(s.size).toBe(0);
      expect(s.isNew).toBe(true);
      expect(s.state.invalidated).toBe(true);
      expect(s.state.dirty).toBe(false);
      expect(backend.invalidate).toHaveBeenCalledWith(s);
    });

    it('should take a fresh created time', async () => {
      const s = session({ a: 1 });
      const before = Math.floor(Date.now() / 1000);
      await s.invalidate();
      expect(s.created).toBeGreaterThanOrEqual(before);
    });

    it('should forget adjusted timeouts', async () => {
      const s = session({ a: 1 });
      s.adjustTimeout(10);
      s.adjustExpires(2_000_000_000);
      await s.invalidate();
      expect(s.state.timeout).toBeUndefined();
      expect(s.state.expires).toBeUndefined();
    });

    it('should accept new data afterwards (as dirty)', async () => {
      const s = session({ a: 1 });
      await s.invalidate();
      s.set('c', 3);
      expect(s.toJSON()).toEqual({ c: 3 });
      expect(s.state.dirty).toBe(true);
    });
  });

  describe('when regenerated', () => {
    it('should keep the data, flag the regeneration and call the backend', async () => {
      const backend = fakeBackend();
      const s = session({ a: 1 }, backend);
      await s.regenerate();
      expect(s.toJSON()).toEqual({ a: 1 });
      expect(s.state.regenerated).toBe(true);
      expect(s.state.dirty).toBe(true);
      expect(backend.regenerate).toHaveBeenCalledWith(s);
    });
  });

  describe('when an id is asked for', () => {
    it('should ask the backend for the id of this session and make the commit wait for it', async () => {
      const backend = fakeBackend();
      const s = session({}, backend);
      const ensured = s.ensureId();
      expect(backend.ensureId).toHaveBeenCalledWith(s);
      expect(s.state.pending).toEqual([ensured]);
      await expect(ensured).resolves.toBe('ensured-id');
    });

    it('should not create an id from idSafecheck() on an empty session', async () => {
      const backend = fakeBackend();
      await expect(session({}, backend).idSafecheck()).resolves.toBeUndefined();
      expect(backend.ensureId).not.toHaveBeenCalled();
    });

    it('should create one from idSafecheck() when the session holds data', async () => {
      const backend = fakeBackend();
      await expect(session({ a: 1 }, backend).idSafecheck()).resolves.toBe('ensured-id');
    });
  });

  describe('when timeouts and cookies are adjusted', () => {
    it('should store a per-session timeout and mark dirty', () => {
      const s = session();
      s.adjustTimeout(30);
      expect(s.state.timeout).toBe(30);
      expect(s.state.dirty).toBe(true);
    });

    it.each([0, -1, 1.5, NaN])('should refuse adjustTimeout(%p)', (seconds) => {
      expect(() => session().adjustTimeout(seconds)).toThrow(
        new RangeError(`adjustTimeout(${seconds}): pass a whole number of seconds above 0.`),
      );
    });

    it('should floor adjustExpires and refuse non-finite values', () => {
      const s = session();
      s.adjustExpires(2_000_000_000.7);
      expect(s.state.expires).toBe(2_000_000_000);
      expect(() => s.adjustExpires(Infinity)).toThrow(RangeError);
    });

    it('should record recookie overrides without marking dirty', () => {
      const s = session();
      const expires = new Date(0);
      s.recookie({ maxAge: 60, expires });
      expect(s.state.recookie).toEqual({ maxAge: 60, expires });
      expect(s.state.dirty).toBe(false);
      s.recookie();
      expect(s.state.recookie).toEqual({});
    });
  });

  describe('when flash messages are used', () => {
    it('should queue, peek and pop them', () => {
      const s = session();
      s.flash('a');
      s.flash('a', { allowDuplicate: false });
      s.flash('b', { queue: 'err' });
      expect(s.peekFlash()).toEqual(['a']);
      expect(s.peekFlash('err')).toEqual(['b']);
      expect(s.popFlash()).toEqual(['a']);
      expect(s.popFlash()).toEqual([]);
      expect(s.peekFlash('err')).toEqual(['b']);
    });

    it('should mark dirty on flash and popFlash but not on peekFlash', () => {
      const s = session({ _f_: ['x'] });
      s.peekFlash();
      expect(s.state.dirty).toBe(false);
      s.popFlash();
      expect(s.state.dirty).toBe(true);
      const t = session();
      t.flash('y');
      expect(t.state.dirty).toBe(true);
    });

    it('should mark nothing when popping an empty queue (no needless cookie or store write)', () => {
      const s = session({ theme: 'dark' });
      expect(s.popFlash()).toEqual([]);
      expect(s.state.dirty).toBe(false);
      expect(s.state.accessed).toBe(false);
    });
  });

  describe('when CSRF tokens are used', () => {
    it('should create a 64-hex token and return it until a new one is made', () => {
      const s = session();
      const token = s.getCsrfToken();
      expect(token).toMatch(/^[0-9a-f]{64}$/);
      expect(s.getCsrfToken()).toBe(token);
      const next = s.newCsrfToken();
      expect(next).not.toBe(token);
      expect(s.getCsrfToken()).toBe(next);
    });

    it('should mark dirty only when a token is created', () => {
      const s = session({ _csrft_: 'c'.repeat(64) });
      expect(s.getCsrfToken()).toBe('c'.repeat(64));
      expect(s.state.dirty).toBe(false);
      // A string leaves the session: no change check is needed for it.
      expect(s.state.accessed).toBe(false);
      s.newCsrfToken();
      expect(s.state.dirty).toBe(true);
    });
  });

  describe('when used by a factory', () => {
    it('should report emptiness without counting as an access', () => {
      const s = session({ a: 1 });
      expect(s.isEmpty()).toBe(false);
      expect(session().isEmpty()).toBe(true);
      expect(s.state.accessed).toBe(false);
    });

    it('should hand out the data without marking anything on peekData', () => {
      const s = session({ a: 1 });
      expect(s.peekData()).toEqual({ a: 1 });
      expect(s.state.accessed).toBe(false);
      expect(s.state.dirty).toBe(false);
    });
  });
});
