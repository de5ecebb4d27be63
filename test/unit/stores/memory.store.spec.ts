import { jest } from '@jest/globals';
import { SessionConfigurationError } from '../../../src/session/session-configuration.error';
import { MemoryStore, type MemoryStoreOptions } from '../../../src/stores/memory.store';

describe('MemoryStore', () => {
  describe('when more keys are written than maxEntries', () => {
    it('should keep maxEntries entries, evicting the oldest first', async () => {
      const store = new MemoryStore({ maxEntries: 3, sweepInterval: 0 });
      for (const key of ['a', 'b', 'c', 'd']) {
        await store.set(key, key, { ttl: 60 });
      }
      expect(store.size).toBe(3);
      await expect(store.get('a')).resolves.toBeUndefined();
      await expect(store.get('d')).resolves.toBe('d');
    });

    it('should evict the least recently read key, not the first written', async () => {
      const store = new MemoryStore({ maxEntries: 3, sweepInterval: 0 });
      for (const key of ['a', 'b', 'c']) {
        await store.set(key, key, { ttl: 60 });
      }
      await store.get('a');
      await store.set('d', 'd', { ttl: 60 });
      await expect(store.get('a')).resolves.toBe('a');
      await expect(store.get('b')).resolves.toBeUndefined();
    });

    it('should hold 1000 of 2000 keys written (D9)', async () => {
      const store = new MemoryStore({ maxEntries: 1000, sweepInterval: 0 });
      for (let i = 0; i < 2000; i++) {
        await store.set(`k${i}`, 'v', {});
      }
      expect(store.size).toBe(1000);
      await expect(store.get('k999')).resolves.toBeUndefined();
      await expect(store.get('k1000')).resolves.toBe('v');
    });
  });

  describe('when entries expire and nobody reads them', () => {
    afterEach(() => {
      jest.useRealTimers();
    });

    it('should drop them at the next sweep (R39)', async () => {
      jest.useFakeTimers();
      const store = new MemoryStore({ maxEntries: 200_000, sweepInterval: 1000 });
      for (let i = 0; i < 100_000; i++) {
        await store.set(`k${i}`, 'v', { ttl: 1 });
      }
      await store.set('kept', 'v', { ttl: 60 });
      expect(store.size).toBe(100_001);
      jest.advanceTimersByTime(2000);
      expect(store.size).toBe(1);
      await store.close();
    });

    it('should keep entries without a TTL until they are evicted', async () => {
      jest.useFakeTimers();
      const store = new MemoryStore({ sweepInterval: 60_000 });
      await store.set('lru', 'v', {});
      jest.advanceTimersByTime(7 * 24 * 3600 * 1000);
      expect(store.size).toBe(1);
      await expect(store.get('lru')).resolves.toBe('v');
      await store.close();
    });

    it('should also drop an expired entry when it is read', async () => {
      jest.useFakeTimers();
      const store = new MemoryStore({ sweepInterval: 0 });
      await store.set('k', 'v', { ttl: 1 });
      jest.advanceTimersByTime(1001);
      await expect(store.get('k')).resolves.toBeUndefined();
      expect(store.size).toBe(0);
    });
  });

  describe('when the store is closed', () => {
    afterEach(() => {
      jest.useRealTimers();
    });

    it('should clear its sweep timer', async () => {
      jest.useFakeTimers();
      const store = new MemoryStore({ sweepInterval: 1000 });
      expect(jest.getTimerCount()).toBe(1);
      await store.close();
      expect(jest.getTimerCount()).toBe(0);
    });

    it('should stop sweeping but keep serving reads', async () => {
      jest.useFakeTimers();
      const store = new MemoryStore({ sweepInterval: 1000 });
      await store.set('short', 'v', { ttl: 1 });
      await store.set('long', 'v', { ttl: 60 });
      await store.close();
      jest.advanceTimersByTime(5000);
      expect(store.size).toBe(2);
      await expect(store.get('long')).resolves.toBe('v');
    });
  });

  describe('when it is created', () => {
    it('should not keep the process alive with its sweep timer', async () => {
      const spy = jest.spyOn(globalThis, 'setInterval');
      try {
        const store = new MemoryStore({ sweepInterval: 50 });
        const timer = spy.mock.results[0]!.value as NodeJS.Timeout;
        expect(timer.hasRef()).toBe(false);
        await store.close();
      } finally {
        spy.mockRestore();
      }
    });

    it('should start no timer when sweepInterval is 0', () => {
      const spy = jest.spyOn(globalThis, 'setInterval');
      try {
        new MemoryStore({ sweepInterval: 0 });
        expect(spy).not.toHaveBeenCalled();
      } finally {
        spy.mockRestore();
      }
    });

    it('should default to 10000 entries and a sweep every 60 s', async () => {
      const store = new MemoryStore();
      expect(store.maxEntries).toBe(10_000);
      expect(store.sweepInterval).toBe(60_000);
      await store.close();
    });

    it.each([
      [
        { maxEntries: 0 },
        'MemoryStore: maxEntries is 0; it must be an integer of at least 1. Fix the maxEntries option.',
      ],
      [
        { maxEntries: 1.5 },
        'MemoryStore: maxEntries is 1.5; it must be an integer of at least 1. Fix the maxEntries option.',
      ],
      [
        { sweepInterval: -1 },
        'MemoryStore: sweepInterval is -1; it must be an integer of at least 0. Fix the sweepInterval option.',
      ],
    ])('should refuse %o', (options, message) => {
      expect(() => new MemoryStore(options)).toThrow(SessionConfigurationError);
      expect(() => new MemoryStore(options)).toThrow(message);
    });
  });

  describe('when an option name is misspelt (JavaScript, or values typed as any)', () => {
    it.each([
      [{ maxEntry: 3 }, 'MemoryStore: unknown option "maxEntry". Did you mean "maxEntries"?'],
      [
        { maxEntries: 3, sweepIntervall: 0 },
        'MemoryStore: unknown option "sweepIntervall". Did you mean "sweepInterval"?',
      ],
      [
        { ttl: 60 },
        'MemoryStore: unknown option "ttl"; its options are maxEntries, sweepInterval. Remove it, or fix its spelling.',
      ],
    ])('should refuse %o, naming the option', (options, message) => {
      const build = () => new MemoryStore(options as MemoryStoreOptions);
      expect(build).toThrow(SessionConfigurationError);
      expect(build).toThrow(message);
    });

    it('should still accept every documented option', async () => {
      const store = new MemoryStore({ maxEntries: 3, sweepInterval: 0 });
      await store.set('a', 'value', {});
      expect(await store.get('a')).toBe('value');
      await store.close();
    });
  });
});
