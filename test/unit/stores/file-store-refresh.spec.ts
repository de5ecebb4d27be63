import { jest } from '@jest/globals';
import {
  existsSync,
  promises as fsPromises,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
} from 'node:fs';
import { utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileStore } from '../../../src/stores/file.store';
import { freshKey } from './store-harness';

/** How many times each race is run; one resurrection in any run fails the test. */
const RUNS = 50;

describe('FileStore refresh and recovery', () => {
  let root: string;
  let directory: string;
  const stores: FileStore[] = [];
  /** One store per simulated process, all on the same directory. */
  const open = () => {
    const store = new FileStore({ directory, autoPurgeEvery: 0 });
    stores.push(store);
    return store;
  };
  const fileOf = (key: string) => join(directory, `${key}.session`);
  const envelopeOf = (key: string) =>
    JSON.parse(readFileSync(fileOf(key), 'utf8')) as { expires: number | null; value: string };
  const makeIdle = async (key: string) => {
    const old = new Date(Date.now() - 3600_000);
    await utimes(fileOf(key), old, old);
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'nsm-filestore-refresh-'));
    directory = join(root, 'sessions');
  });

  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
    rmSync(root, { recursive: true, force: true });
  });

  describe('when one process refreshes a session another process deletes', () => {
    it.each([
      ['touch', (store: FileStore, key: string) => store.touch(key, 60)],
      ['getAndTouch', (store: FileStore, key: string) => store.getAndTouch(key, 60)],
    ])(`should never bring it back through %s (${RUNS} races)`, async (_name, refresh) => {
      const [a, b] = [open(), open()];
      const resurrected: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const key = freshKey();
        await a.set(key, 'v', { ttl: 60 });
        await Promise.all([refresh(a, key), b.delete(key)]);
        if ((await b.get(key)) !== undefined || existsSync(fileOf(key))) {
          resurrected.push(run);
        }
      }
      expect(resurrected).toEqual([]);
    });
  });

  describe('when a session is refreshed', () => {
    it.each([
      ['touch', (store: FileStore, key: string) => store.touch(key, 120)],
      ['getAndTouch', (store: FileStore, key: string) => store.getAndTouch(key, 120)],
    ])('should extend the stored expiry in place through %s', async (_name, refresh) => {
      const [a, b] = [open(), open()];
      const key = freshKey();
      await a.set(key, 'payload', { ttl: 1 });
      const before = statSync(fileOf(key));
      const start = Date.now();
      await refresh(a, key);
      const { expires, value } = envelopeOf(key);
      expect(value).toBe('payload');
      expect(expires).toBeGreaterThanOrEqual(start + 120_000);
      expect(expires).toBeLessThanOrEqual(Date.now() + 120_000);
      // Same file, rewritten in place: no rename, no temp file left.
      expect(statSync(fileOf(key)).ino).toBe(before.ino);
      expect(readdirSync(directory)).toEqual([`${key}.session`]);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      await expect(b.get(key)).resolves.toBe('payload');
    });

    it('should return the value from getAndTouch', async () => {
      const store = open();
      const key = freshKey();
      await store.set(key, 'payload', { ttl: 60 });
      await expect(store.getAndTouch(key, 60)).resolves.toBe('payload');
    });

    it('should still rewrite the file when the expiry changes length (no TTL to a TTL)', async () => {
      const store = open();
      const key = freshKey();
      await store.set(key, 'payload', {});
      await store.touch(key, 60);
      expect(envelopeOf(key).expires).toBeGreaterThan(Date.now());
      expect(readdirSync(directory)).toEqual([`${key}.session`]);
    });

    it('should leave a file another process replaced meanwhile alone', async () => {
      const [a, b] = [open(), open()];
      const key = freshKey();
      await a.set(key, 'old', { ttl: 60 });
      await Promise.all([a.touch(key, 3600), b.set(key, 'new', { ttl: 60 })]);
      // Whichever order they ran in, the value b wrote stands.
      await expect(a.get(key)).resolves.toBe('new');
    });
  });

  describe('when a purge runs after a refresh', () => {
    it.each([
      ['touch', (store: FileStore, key: string) => store.touch(key, 60)],
      ['getAndTouch', (store: FileStore, key: string) => store.getAndTouch(key, 60)],
    ])('should treat a session refreshed through %s as fresh', async (_name, refresh) => {
      const store = open();
      const [touched, idle] = [freshKey(), freshKey()];
      await store.set(touched, 'v', { ttl: 60 });
      await store.set(idle, 'v', { ttl: 60 });
      await makeIdle(touched);
      await makeIdle(idle);
      await refresh(store, touched);
      expect(Date.now() - statSync(fileOf(touched)).mtimeMs).toBeLessThan(60_000);
      await expect(store.purge(1800)).resolves.toBe(1);
      expect(readdirSync(directory)).toEqual([`${touched}.session`]);
    });
  });

  describe('when a touch lands between a purge finding a file idle and removing it', () => {
    afterEach(() => {
      jest.restoreAllMocks();
    });

    it('should keep the file (same inode, later mtime)', async () => {
      const store = open();
      const key = freshKey();
      await store.set(key, 'v', { ttl: 60 });
      await makeIdle(key);
      const stat = fsPromises.stat.bind(fsPromises);
      let landed = false;
      jest.spyOn(fsPromises, 'stat').mockImplementation(async (...args) => {
        const result = await stat(...args);
        if (!landed && String(args[0]) === fileOf(key)) {
          landed = true;
          const now = new Date();
          utimesSync(fileOf(key), now, now); // what an in-place touch does to the file
        }
        return result;
      });
      await expect(store.purge(1800)).resolves.toBe(0);
      expect(landed).toBe(true);
      expect(existsSync(fileOf(key))).toBe(true);
    });
  });

  describe('when the directory is removed while the store runs', () => {
    it('should recreate it with mode 0700 on the next write', async () => {
      const store = open();
      const key = freshKey();
      await store.set(key, 'before', { ttl: 60 });
      rmSync(directory, { recursive: true, force: true });
      await expect(store.get(key)).resolves.toBeUndefined();
      await store.set(key, 'after', { ttl: 60 });
      await expect(store.get(key)).resolves.toBe('after');
      expect(statSync(directory).mode & 0o777).toBe(0o700);
    });

    it('should recreate it for a create-only write', async () => {
      const store = open();
      await store.set(freshKey(), 'before', { ttl: 60 });
      rmSync(directory, { recursive: true, force: true });
      const key = freshKey();
      await expect(store.set(key, 'after', { ttl: 60, onlyIfAbsent: true })).resolves.toBe(true);
      await expect(store.get(key)).resolves.toBe('after');
    });

    it('should not bring a session back through touch, getAndTouch, replace or onlyIfPresent', async () => {
      const store = open();
      const key = freshKey();
      await store.set(key, 'before', { ttl: 60 });
      rmSync(directory, { recursive: true, force: true });
      await store.touch(key, 60);
      await expect(store.getAndTouch(key, 60)).resolves.toBeUndefined();
      await expect(store.set(key, 'x', { ttl: 60, onlyIfPresent: true })).resolves.toBe(false);
      await expect(store.replace(key, 'x', { ttl: 60, expected: 'any' })).resolves.toEqual({
        status: 'missing',
      });
      expect(existsSync(directory)).toBe(false);
    });
  });
});
