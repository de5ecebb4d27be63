import { afterEach, jest } from '@jest/globals';
import { recordingLogger } from '../../support/recording-logger';
import { ServerSessionFactory } from '../../../src/factories/server-session.factory';
import type { ServerSessionOptions } from '../../../src/factories/server-session.options';
import {
  InvalidSessionDeserialization,
  InvalidSessionLegacyPayload,
  type InvalidSession,
} from '../../../src/session/invalid-session.errors';
import { RawDeserializationError } from '../../../src/stores/payload-serializer';
import { SessionStoreError } from '../../../src/stores/session-store.error';
import { loadCtx, RecordingStore, TestCommitContext } from './server-session.fixtures';

const SECRET = 'server-secret-0123456789abcdef0123456789abcdef';
const NS = 'cart';

async function setup(options: Partial<ServerSessionOptions> = {}) {
  const store = new RecordingStore();
  const reasons: InvalidSession[] = [];
  const factory = new ServerSessionFactory({
    secret: SECRET,
    cookieName: 'cart',
    onInvalidSession: (_req, reason) => reasons.push(reason),
    ...options,
    store,
  });
  factory.validate(NS);
  const created = await factory.load(loadCtx(NS));
  created.set('item', 'apple');
  const first = new TestCommitContext(NS);
  await factory.commit(created, first);
  store.reset();
  const key = [...store.data.keys()][0]!;
  const overwrite = (value: string) => store.data.set(key, { value, ttl: 1200 });
  return { factory, store, reasons, jar: first.jar(), overwrite };
}

afterEach(() => {
  jest.restoreAllMocks();
});

describe('ServerSessionFactory stored payloads', () => {
  describe('when the payload cannot be deserialized and deserializedFailsNew is on (default)', () => {
    it('should start a new session and report InvalidSessionDeserialization', async () => {
      const { factory, reasons, jar, overwrite } = await setup();
      overwrite('{not json');
      const session = await factory.load(loadCtx(NS, jar));
      expect(session.isNew).toBe(true);
      expect(reasons.map((r) => r.constructor)).toEqual([InvalidSessionDeserialization]);
      expect(reasons[0]!.cause).toBeInstanceOf(SyntaxError);
    });
  });

  describe('when the payload cannot be deserialized and deserializedFailsNew is false', () => {
    it('should throw RawDeserializationError with the serializer error as cause', async () => {
      const { factory, jar, overwrite } = await setup({ deserializedFailsNew: false });
      overwrite('{not json');
      const failure = factory.load(loadCtx(NS, jar));
      await expect(failure).rejects.toBeInstanceOf(RawDeserializationError);
      await expect(failure).rejects.toThrow(
        /^Namespace "cart": a stored session payload could not be deserialized \(.+\)\. Check the serializer, or set deserializedFailsNew: true to start a new session instead\.$/,
      );
    });
  });

  describe('when the payload has no version (pyramid 1.2 format)', () => {
    it('should report InvalidSessionLegacyPayload even with deserializedFailsNew false', async () => {
      const { factory, reasons, jar, overwrite } = await setup({ deserializedFailsNew: false });
      overwrite(JSON.stringify({ managed_dict: { a: 1 }, created: 1, timeout: 1200 }));
      const session = await factory.load(loadCtx(NS, jar));
      expect(session.isNew).toBe(true);
      expect(reasons.map((r) => r.constructor)).toEqual([InvalidSessionLegacyPayload]);
    });
  });

  describe('when the payload holds a __proto__ key', () => {
    it('should drop it', async () => {
      const { factory, jar, overwrite } = await setup();
      overwrite('{"m":{"__proto__":{"polluted":1},"a":1},"c":1,"v":1}');
      const session = await factory.load(loadCtx(NS, jar));
      expect(session.keys()).toEqual(['a']);
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    });
  });

  describe('when a custom serializer is given', () => {
    it('should use it for the payload', async () => {
      const serializer = {
        serialize: (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64'),
        deserialize: (t: string) => JSON.parse(Buffer.from(t, 'base64').toString()) as unknown,
      };
      const { factory, store, jar } = await setup({ serializer });
      const stored = [...store.data.values()][0]!.value;
      expect(stored).not.toContain('apple');
      expect((await factory.load(loadCtx(NS, jar))).get('item')).toBe('apple');
    });
  });
});

describe('ServerSessionFactory store failures', () => {
  describe("when the store fails while loading (onStoreError: 'throw')", () => {
    it('should reject with a SessionStoreError naming namespace, store and operation', async () => {
      const { factory, store, jar } = await setup();
      const cause = new Error('connect ECONNREFUSED');
      store.failWith = cause;
      const failure = factory.load(loadCtx(NS, jar));
      await expect(failure).rejects.toMatchObject({
        name: 'SessionStoreError',
        namespace: 'cart',
        store: 'RecordingStore',
        operation: 'get',
        cause,
      });
      await expect(failure).rejects.toThrow(
        `Namespace "cart": RecordingStore.get() failed: connect ECONNREFUSED. Check that the store is reachable, or set onStoreError: 'fail-open' to serve an empty session instead.`,
      );
    });
  });

  describe("when the store fails while loading (onStoreError: 'fail-open')", () => {
    it('should serve an empty session that is never saved, with one warning', async () => {
      const logger = recordingLogger();
      const warn = logger.warn;
      const { factory, store, jar } = await setup({ onStoreError: 'fail-open', logger });
      store.failWith = new Error('connect ECONNREFUSED');
      const session = await factory.load(loadCtx(NS, jar));
      expect(session.isNew).toBe(true);
      session.set('item', 'pear');
      store.failWith = undefined;
      const ctx = new TestCommitContext(NS);
      await factory.commit(session, ctx);
      expect(store.ops()).toEqual([]);
      expect(ctx.cookies).toEqual([]);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]![0])).toBe(
        `Namespace "cart": RecordingStore is unavailable (get() failed: connect ECONNREFUSED); sessions are served empty and not saved until it recovers (onStoreError: 'fail-open').`,
      );
      await expect(session.ensureId()).rejects.toBeInstanceOf(SessionStoreError);
    });
  });

  describe('when invalidate() cannot delete the record', () => {
    it('should reject with SessionStoreError even under fail-open, and the commit should call nothing more', async () => {
      const { factory, store, jar } = await setup({ onStoreError: 'fail-open' });
      const session = await factory.load(loadCtx(NS, jar));
      store.failWith = new Error('connection lost');
      await expect(session.invalidate()).rejects.toMatchObject({
        name: 'SessionStoreError',
        operation: 'delete',
      });
      store.failWith = undefined;
      store.reset();
      const ctx = new TestCommitContext(NS, undefined, true);
      await factory.commit(session, ctx);
      expect(store.ops()).toEqual([]);
      expect(ctx.cookies).toEqual([]);
    });
  });

  describe('when the store fails during the commit', () => {
    it('should throw once, and a second commit of the error response should call nothing', async () => {
      const { factory, store, jar } = await setup();
      const session = await factory.load(loadCtx(NS, jar));
      session.set('item', 'pear');
      store.failWith = new Error('timeout');
      await expect(factory.commit(session, new TestCommitContext(NS))).rejects.toMatchObject({
        operation: 'set',
      });
      store.failWith = undefined;
      store.reset();
      await factory.commit(session, new TestCommitContext(NS, undefined, true));
      expect(store.ops()).toEqual([]);
    });

    it("should log one warning and set no cookie under 'fail-open'", async () => {
      const logger = recordingLogger();
      const warn = logger.warn;
      const { factory, store } = await setup({ onStoreError: 'fail-open', logger });
      const session = await factory.load(loadCtx(NS));
      session.set('item', 'pear');
      store.failWith = new Error('timeout');
      const ctx = new TestCommitContext(NS);
      await factory.commit(session, ctx);
      expect(ctx.cookies).toEqual([]);
      expect(warn).toHaveBeenCalledTimes(1);
    });
  });
});
