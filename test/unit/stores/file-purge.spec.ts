import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { walkDirectory } from '../../../src/stores/directory-walk';
import { FileStore } from '../../../src/stores/file.store';
import { freshKey } from './store-harness';

describe('FileStore purge', () => {
  let root: string;
  let directory: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'nsm-purge-spec-'));
    directory = join(root, 'sessions');
    mkdirSync(directory);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const writeIdle = (count: number): void => {
    const old = new Date(Date.now() - 3600_000);
    for (let i = 0; i < count; i++) {
      const path = join(directory, `${freshKey()}.session`);
      writeFileSync(path, '{"expires":null,"value":"v"}');
      utimesSync(path, old, old);
    }
  };

  describe('when a directory of many idle files is purged', () => {
    it('should serve a get started after the purge before the purge ends, and remove them all', async () => {
      writeIdle(600);
      const store = new FileStore({ directory, autoPurgeEvery: 0, autoPurgeOlderThan: 60 });
      const key = freshKey();
      await store.set(key, 'live', { ttl: 60 });
      const order: string[] = [];
      const purge = store.purge().then((removed) => {
        order.push('purge');
        return removed;
      });
      const get = store.get(key).then((value) => {
        order.push('get');
        return value;
      });
      await expect(get).resolves.toBe('live');
      await expect(purge).resolves.toBe(600);
      expect(order).toEqual(['get', 'purge']);
      expect(readdirSync(directory)).toEqual([`${key}.session`]);
      await store.close();
    });
  });

  describe('walkDirectory', () => {
    it('should give the event loop turns between batches and hold at most `concurrency` files at once', async () => {
      writeIdle(100);
      let turns = 0;
      let walking = true;
      const tick = (): void => {
        turns++;
        if (walking) {
          setImmediate(tick);
        }
      };
      setImmediate(tick);
      let inHand = 0;
      let most = 0;
      const seen = new Set<string>();
      await walkDirectory(
        directory,
        async (name) => {
          inHand++;
          most = Math.max(most, inHand);
          seen.add(name);
          await new Promise((resolve) => setImmediate(resolve));
          inHand--;
        },
        { batch: 10, concurrency: 3 },
      );
      walking = false;
      expect(seen.size).toBe(100);
      expect(most).toBe(3);
      expect(turns).toBeGreaterThanOrEqual(10);
    });

    it('should treat a missing directory as empty', async () => {
      const names: string[] = [];
      await walkDirectory(join(root, 'nope'), (name) => void names.push(name));
      expect(names).toEqual([]);
    });
  });
});
