import { jest } from '@jest/globals';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { SessionConfigurationError } from '../../../src/session/session-configuration.error';
import { FileStore, type FileStoreOptions } from '../../../src/stores/file.store';
import { InvalidStoreKeyError } from '../../../src/stores/invalid-store-key.error';
import { storeKey } from '../../../src/stores/store-key';
import { freshKey, sleep } from './store-harness';

const TRAVERSAL_KEYS = [
  '../x',
  '..\\x',
  '..poc',
  '%2e%2e%2fx',
  'a/b',
  '/etc/passwd',
  '\0x',
  '',
  `../${'a'.repeat(40)}`,
  `${'a'.repeat(42)}/`,
  `${'a'.repeat(43)}\n`,
];

describe('FileStore', () => {
  let root: string;
  let directory: string;
  const stores: FileStore[] = [];
  const open = (options: Partial<ConstructorParameters<typeof FileStore>[0]> = {}) => {
    const store = new FileStore({ directory, ...options });
    stores.push(store);
    return store;
  };
  const fileOf = (key: string) => join(directory, `${key}.session`);

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'nsm-filestore-spec-'));
    directory = join(root, 'a', 'b', 'sessions');
  });

  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
    rmSync(root, { recursive: true, force: true });
  });

  describe('when the directory does not exist', () => {
    it('should create it and its parents with mode 0700 on the first write', async () => {
      const store = open();
      await store.set(freshKey(), 'v', { ttl: 60 });
      expect(statSync(directory).mode & 0o777).toBe(0o700);
      expect(statSync(join(root, 'a')).mode & 0o777).toBe(0o700);
    });

    it('should read undefined, purge nothing and not create it on reads', async () => {
      const store = open();
      await expect(store.get(freshKey())).resolves.toBeUndefined();
      await expect(store.purge()).resolves.toBe(0);
      expect(existsSync(directory)).toBe(false);
    });
  });

  describe('when a session is written', () => {
    it('should create one file named after the key, with mode 0600', async () => {
      const store = open();
      const key = freshKey();
      await store.set(key, 'v', { ttl: 60 });
      expect(readdirSync(directory)).toEqual([`${key}.session`]);
      expect(statSync(fileOf(key)).mode & 0o777).toBe(0o600);
    });

    it('should keep the expiry in the file as epoch milliseconds, or null without a TTL', async () => {
      const store = open();
      const [timed, lru] = [freshKey(), freshKey()];
      const before = Date.now();
      await store.set(timed, 'a', { ttl: 60 });
      await store.set(lru, 'b', {});
      const envelope = JSON.parse(readFileSync(fileOf(timed), 'utf8'));
      expect(envelope.value).toBe('a');
      expect(envelope.expires).toBeGreaterThanOrEqual(before + 60_000);
      expect(envelope.expires).toBeLessThanOrEqual(Date.now() + 60_000);
      expect(JSON.parse(readFileSync(fileOf(lru), 'utf8')).expires).toBeNull();
    });

    it('should leave no temp file behind after many concurrent writes', async () => {
      const store = open();
      const key = freshKey();
      await Promise.all(
        Array.from({ length: 50 }, (_, i) => store.set(key, `value-${i}`, { ttl: 60 })),
      );
      expect(readdirSync(directory)).toEqual([`${key}.session`]);
      await expect(store.get(key)).resolves.toBe('value-49');
    });
  });

  describe('when a file is corrupt', () => {
    it.each([
      ['not JSON', '{"expires":null,"val'],
      ['empty', ''],
      ['JSON of the wrong shape', '{"expires":"soon","value":42}'],
      ['a JSON array', '[1,2]'],
    ])('should read a %s file as absent and remove it', async (_label, content) => {
      const store = open();
      const key = freshKey();
      await store.set(key, 'v', { ttl: 60 });
      await writeFile(fileOf(key), content);
      await expect(store.get(key)).resolves.toBeUndefined();
      expect(existsSync(fileOf(key))).toBe(false);
    });

    it('should let onlyIfAbsent replace it', async () => {
      const store = open();
      const key = freshKey();
      mkdirSync(directory, { recursive: true });
      await writeFile(fileOf(key), 'garbage');
      await expect(store.set(key, 'fresh', { ttl: 60, onlyIfAbsent: true })).resolves.toBe(true);
      await expect(store.get(key)).resolves.toBe('fresh');
    });
  });

  describe('when a key is not a storeKey() hash', () => {
    it.each(TRAVERSAL_KEYS.map((k) => [JSON.stringify(k), k]))(
      'should refuse %s in every method and touch no file',
      async (_label, key) => {
        const store = open();
        await store.set(freshKey(), 'v', { ttl: 60 });
        const parent = dirname(directory);
        const before = [readdirSync(parent), readdirSync(directory)];
        await expect(store.get(key)).rejects.toThrow(InvalidStoreKeyError);
        await expect(store.getAndTouch(key, 60)).rejects.toThrow(InvalidStoreKeyError);
        await expect(store.set(key, 'x', { ttl: 60 })).rejects.toThrow(InvalidStoreKeyError);
        await expect(store.touch(key, 60)).rejects.toThrow(InvalidStoreKeyError);
        await expect(store.delete(key)).rejects.toThrow(
          'FileStore was given a key that is not a storeKey() hash (43 characters of A-Z a-z 0-9 _ -). Pass storeKey(sessionId), never a raw session id or a path.',
        );
        expect([readdirSync(parent), readdirSync(directory)]).toEqual(before);
      },
    );
  });

  describe('when two stores (processes) share the directory', () => {
    it("should each see the other's writes and deletes", async () => {
      const [a, b] = [open(), open()];
      const key = freshKey();
      await a.set(key, 'from a', { ttl: 60 });
      await expect(b.get(key)).resolves.toBe('from a');
      await b.set(key, 'from b', { ttl: 60 });
      await expect(a.get(key)).resolves.toBe('from b');
      await a.delete(key);
      await expect(b.get(key)).resolves.toBeUndefined();
    });

    it('should let exactly one of many concurrent onlyIfAbsent writes win', async () => {
      const [a, b] = [open(), open()];
      const key = freshKey();
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 === 0 ? a : b).set(key, `writer-${i}`, { ttl: 60, onlyIfAbsent: true }),
        ),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = results.indexOf(true);
      await expect(a.get(key)).resolves.toBe(`writer-${winner}`);
      expect(readdirSync(directory)).toEqual([`${key}.session`]);
    });

    it('should always read a whole payload while the other rewrites it', async () => {
      const [a, b] = [open(), open()];
      const key = freshKey();
      const payload = (i: number) => JSON.stringify({ i, pad: 'x'.repeat(100_000) });
      await a.set(key, payload(0), { ttl: 60 });
      const writes = Array.from({ length: 30 }, (_, i) => a.set(key, payload(i + 1), { ttl: 60 }));
      const reads = Array.from({ length: 30 }, () => b.get(key));
      await Promise.all(writes);
      for (const value of await Promise.all(reads)) {
        expect(JSON.parse(value!).pad).toHaveLength(100_000);
      }
    });

    it('should honour the TTL written by the other', async () => {
      const [a, b] = [open(), open()];
      const key = freshKey();
      await a.set(key, 'short', { ttl: 1 });
      await expect(b.get(key)).resolves.toBe('short');
      await sleep(1500);
      await expect(b.get(key)).resolves.toBeUndefined();
      expect(existsSync(fileOf(key))).toBe(false);
    });
  });

  describe('when a session is touched', () => {
    it('should move the file mtime and the stored expiry forward', async () => {
      const store = open();
      const key = freshKey();
      await store.set(key, 'v', { ttl: 10 });
      const old = new Date(Date.now() - 3600_000);
      await utimes(fileOf(key), old, old);
      await store.touch(key, 100);
      expect(Date.now() - statSync(fileOf(key)).mtimeMs).toBeLessThan(60_000);
      const { expires } = JSON.parse(readFileSync(fileOf(key), 'utf8'));
      expect(expires).toBeGreaterThan(Date.now() + 90_000);
    });
  });

  describe('when files are idle longer than autoPurgeOlderThan', () => {
    it('should remove them on purge() and keep recent ones and foreign files', async () => {
      const store = open({ autoPurgeEvery: 0, autoPurgeOlderThan: 1800 });
      const [idle, recent] = [freshKey(), freshKey()];
      await store.set(idle, 'v', {});
      await store.set(recent, 'v', {});
      await writeFile(join(directory, 'README'), 'not a session');
      const old = new Date(Date.now() - 3600_000);
      await utimes(fileOf(idle), old, old);
      await utimes(join(directory, 'README'), old, old);
      await expect(store.purge()).resolves.toBe(1);
      expect(readdirSync(directory).sort()).toEqual(['README', `${recent}.session`].sort());
    });

    it('should remove temp files left by a crashed write', async () => {
      const store = open({ autoPurgeEvery: 0 });
      const key = freshKey();
      await store.set(key, 'v', { ttl: 60 });
      const temp = join(directory, `.${key}.session.0123abcd.tmp`);
      await writeFile(temp, '{"expires":null,"va');
      const old = new Date(Date.now() - 120_000);
      await utimes(temp, old, old);
      await store.purge();
      expect(readdirSync(directory)).toEqual([`${key}.session`]);
    });

    it('should remove them from the background timer', async () => {
      const store = open({ autoPurgeEvery: 0.2, autoPurgeOlderThan: 60 });
      const key = storeKey('idle-session');
      await store.set(key, 'v', {});
      const old = new Date(Date.now() - 3600_000);
      await utimes(fileOf(key), old, old);
      const deadline = Date.now() + 5000;
      while (existsSync(fileOf(key)) && Date.now() < deadline) {
        await sleep(50);
      }
      expect(existsSync(fileOf(key))).toBe(false);
    });

    it('should report a failing background purge to onPurgeError', async () => {
      const errors: unknown[] = [];
      const store = open({ autoPurgeEvery: 0.1, onPurgeError: (e) => errors.push(e) });
      await store.set(freshKey(), 'v', { ttl: 60 });
      rmSync(directory, { recursive: true, force: true });
      await writeFile(directory, 'a file where the directory was');
      const deadline = Date.now() + 5000;
      while (errors.length === 0 && Date.now() < deadline) {
        await sleep(50);
      }
      expect((errors[0] as NodeJS.ErrnoException).code).toBe('ENOTDIR');
    });
  });

  describe('when it is created and closed', () => {
    afterEach(() => {
      jest.useRealTimers();
    });

    it('should run an unref()ed purge timer every 60 s by default and clear it on close()', async () => {
      const spy = jest.spyOn(globalThis, 'setInterval');
      try {
        const store = open();
        expect(store.autoPurgeEvery).toBe(60);
        expect(store.autoPurgeOlderThan).toBe(1800);
        expect(spy).toHaveBeenCalledWith(expect.any(Function), 60_000);
        expect((spy.mock.results[0]!.value as NodeJS.Timeout).hasRef()).toBe(false);
      } finally {
        spy.mockRestore();
      }
      jest.useFakeTimers();
      const store = open();
      expect(jest.getTimerCount()).toBe(1);
      await store.close();
      expect(jest.getTimerCount()).toBe(0);
    });

    it('should start no timer when autoPurgeEvery is 0', () => {
      jest.useFakeTimers();
      open({ autoPurgeEvery: 0 });
      expect(jest.getTimerCount()).toBe(0);
    });

    it.each([
      [
        { directory: '' },
        'FileStore: no directory was given. Set the directory option, e.g. directory: join(tmpdir(), "my-app-sessions").',
      ],
      [
        { autoPurgeEvery: -1 },
        'FileStore: autoPurgeEvery is -1; it must be a number of seconds of at least 0. Fix the autoPurgeEvery option.',
      ],
      [
        { autoPurgeOlderThan: 0 },
        'FileStore: autoPurgeOlderThan is 0; it must be a number of seconds of at least 1. Fix the autoPurgeOlderThan option.',
      ],
    ])('should refuse %o', (options, message) => {
      const build = () => new FileStore({ directory, ...options });
      expect(build).toThrow(SessionConfigurationError);
      expect(build).toThrow(message);
    });
  });

  describe('when an option name is misspelt (JavaScript, or values typed as any)', () => {
    it('should name the misspelt directory rather than report no directory', () => {
      const build = () => new FileStore({ directry: directory } as unknown as FileStoreOptions);
      expect(build).toThrow(SessionConfigurationError);
      expect(build).toThrow('FileStore: unknown option "directry". Did you mean "directory"?');
    });

    it.each([
      [
        { autoPurgeEvry: 0 },
        'FileStore: unknown option "autoPurgeEvry". Did you mean "autoPurgeEvery"?',
      ],
      [
        { maxAge: 60 },
        'FileStore: unknown option "maxAge"; its options are directory, autoPurgeEvery, autoPurgeOlderThan, onPurgeError. Remove it, or fix its spelling.',
      ],
    ])('should refuse %o beside a directory', (options, message) => {
      const build = () => new FileStore({ directory, ...options });
      expect(build).toThrow(SessionConfigurationError);
      expect(build).toThrow(message);
      expect(existsSync(directory)).toBe(false);
    });

    it('should still accept every documented option', async () => {
      const store = open({
        autoPurgeEvery: 0,
        autoPurgeOlderThan: 60,
        onPurgeError: () => undefined,
      });
      const key = freshKey();
      await store.set(key, 'value', {});
      expect(await store.get(key)).toBe('value');
    });
  });
});
