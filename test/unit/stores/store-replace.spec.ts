import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileStore } from '../../../src/stores/file.store';
import { MemoryStore } from '../../../src/stores/memory.store';
import { payloadFingerprint } from '../../../src/stores/payload-fingerprint';
import type { SessionStore } from '../../../src/stores/session-store.interface';
import { freshKey, sleep } from './store-harness';

type Store = Required<Pick<SessionStore, 'replace' | 'length' | 'clear'>> & SessionStore;

interface Subject {
  name: string;
  open(): Store;
  close(): Promise<void>;
}

function memorySubject(): Subject {
  let store: MemoryStore | undefined;
  return {
    name: 'MemoryStore',
    open: () => (store = new MemoryStore({ sweepInterval: 0 })),
    close: async () => store?.close(),
  };
}

function fileSubject(): Subject {
  let store: FileStore | undefined;
  let root = '';
  return {
    name: 'FileStore',
    open: () => {
      root = mkdtempSync(join(tmpdir(), 'nsm-replace-spec-'));
      return (store = new FileStore({ directory: join(root, 'sessions'), autoPurgeEvery: 0 }));
    },
    close: async () => {
      await store?.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

describe('payloadFingerprint', () => {
  it('should be the lowercase hex SHA-1 of the UTF-8 text', () => {
    expect(payloadFingerprint('abc')).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(payloadFingerprint('é')).toBe(
      createHash('sha1').update(Buffer.from('é', 'utf8')).digest('hex'),
    );
  });
});

describe.each([memorySubject(), fileSubject()])('$name', (subject) => {
  let store: Store;
  beforeEach(() => {
    store = subject.open();
  });
  afterEach(() => subject.close());

  describe('#replace', () => {
    describe('when the record still holds the expected payload', () => {
      it('should write the new payload and resolve written', async () => {
        const key = freshKey();
        await store.set(key, 'v1', { ttl: 60 });
        const result = await store.replace(key, 'v2', {
          ttl: 60,
          expected: payloadFingerprint('v1'),
        });
        expect(result).toEqual({ status: 'written' });
        await expect(store.get(key)).resolves.toBe('v2');
      });

      it('should apply the new TTL', async () => {
        const key = freshKey();
        await store.set(key, 'v1', { ttl: 60 });
        await store.replace(key, 'v2', { ttl: 1, expected: payloadFingerprint('v1') });
        await expect(store.get(key)).resolves.toBe('v2');
        await sleep(1200);
        await expect(store.get(key)).resolves.toBeUndefined();
      });

      it('should remove the record when the TTL is zero, as set() does', async () => {
        const key = freshKey();
        await store.set(key, 'v1', { ttl: 60 });
        await expect(
          store.replace(key, 'v2', { ttl: 0, expected: payloadFingerprint('v1') }),
        ).resolves.toEqual({ status: 'written' });
        await expect(store.get(key)).resolves.toBeUndefined();
      });
    });

    describe('when the record was deleted while the request was in flight', () => {
      it('should resolve missing and not recreate it', async () => {
        const key = freshKey();
        await store.set(key, 'v1', { ttl: 60 });
        await store.delete(key);
        const result = await store.replace(key, 'v2', {
          ttl: 60,
          expected: payloadFingerprint('v1'),
        });
        expect(result).toEqual({ status: 'missing' });
        await expect(store.get(key)).resolves.toBeUndefined();
      });
    });

    describe('when the record has expired', () => {
      it('should resolve missing and not recreate it', async () => {
        const key = freshKey();
        await store.set(key, 'v1', { ttl: 0.2 });
        await sleep(300);
        const result = await store.replace(key, 'v2', {
          ttl: 60,
          expected: payloadFingerprint('v1'),
        });
        expect(result).toEqual({ status: 'missing' });
        await expect(store.get(key)).resolves.toBeUndefined();
      });
    });

    describe('when the record changed since it was read', () => {
      it('should resolve conflict with the current payload and write nothing', async () => {
        const key = freshKey();
        await store.set(key, 'v1', { ttl: 60 });
        await store.set(key, 'other', { ttl: 60 });
        const result = await store.replace(key, 'v2', {
          ttl: 60,
          expected: payloadFingerprint('v1'),
        });
        expect(result).toEqual({ status: 'conflict', current: 'other' });
        await expect(store.get(key)).resolves.toBe('other');
      });
    });

    describe('when two replaces race with the same expected payload', () => {
      it('should let exactly one write and report a conflict to the other', async () => {
        const key = freshKey();
        await store.set(key, 'v1', { ttl: 60 });
        const expected = payloadFingerprint('v1');
        const results = await Promise.all([
          store.replace(key, 'from a', { ttl: 60, expected }),
          store.replace(key, 'from b', { ttl: 60, expected }),
        ]);
        const statuses = results.map((r) => r.status).sort();
        expect(statuses).toEqual(['conflict', 'written']);
        const winner = results[0].status === 'written' ? 'from a' : 'from b';
        expect(results.find((r) => r.status === 'conflict')).toEqual({
          status: 'conflict',
          current: winner,
        });
        await expect(store.get(key)).resolves.toBe(winner);
      });

      it('should not let a replace undo a delete queued before it', async () => {
        const key = freshKey();
        await store.set(key, 'v1', { ttl: 60 });
        const [, result] = await Promise.all([
          store.delete(key),
          store.replace(key, 'v2', { ttl: 60, expected: payloadFingerprint('v1') }),
        ]);
        expect(result).toEqual({ status: 'missing' });
        await expect(store.get(key)).resolves.toBeUndefined();
      });
    });
  });

  describe('#length and #clear', () => {
    it('should count the records written and none after clear()', async () => {
      await expect(store.length()).resolves.toBe(0);
      const keys = Array.from({ length: 150 }, () => freshKey());
      for (const key of keys) {
        await store.set(key, 'v', { ttl: 60 });
      }
      await store.delete(keys[0]!);
      await expect(store.length()).resolves.toBe(149);
      await store.clear();
      await expect(store.length()).resolves.toBe(0);
      await expect(store.get(keys[1]!)).resolves.toBeUndefined();
      await store.set(keys[1]!, 'again', { ttl: 60 });
      await expect(store.get(keys[1]!)).resolves.toBe('again');
    });
  });
});
