import { jest } from '@jest/globals';
import { MemoryStore, SWEEP_SLICE_ENTRIES } from '../../../src/stores/memory.store';

const fill = async (store: MemoryStore, count: number, ttl: number, prefix = 'k') => {
  for (let i = 0; i < count; i++) {
    await store.set(`${prefix}${i}`, 'v', { ttl });
  }
};

describe('MemoryStore', () => {
  describe('when it is full and keeps being written', () => {
    it('should evict in least-recently-used order, reads and overwrites counting as use', async () => {
      const store = new MemoryStore({ maxEntries: 4, sweepInterval: 0 });
      await fill(store, 4, 60); // k0 k1 k2 k3
      await store.get('k0'); // k1 k2 k3 k0
      await store.set('k1', 'again', { ttl: 60 }); // k2 k3 k0 k1
      await store.touch('k2', 60); // k3 k0 k1 k2
      await store.set('n1', 'v', { ttl: 60 }); // evicts k3
      await store.set('n2', 'v', { ttl: 60 }); // evicts k0
      expect(store.size).toBe(4);
      await expect(store.get('k3')).resolves.toBeUndefined();
      await expect(store.get('k0')).resolves.toBeUndefined();
      await expect(store.get('k1')).resolves.toBe('again');
      await expect(store.get('k2')).resolves.toBe('v');
    });

    it('should keep exactly maxEntries over many evictions, the newest ones', async () => {
      const store = new MemoryStore({ maxEntries: 100, sweepInterval: 0 });
      await fill(store, 50_000, 60);
      expect(store.size).toBe(100);
      await expect(store.get('k49899')).resolves.toBeUndefined();
      await expect(store.get('k49900')).resolves.toBe('v');
      await expect(store.length()).resolves.toBe(100);
    });

    it('should keep its eviction order across index shards', async () => {
      const store = new MemoryStore({ maxEntries: 40_000, sweepInterval: 0 });
      await fill(store, 40_100, 60);
      await expect(store.get('k99')).resolves.toBeUndefined();
      await expect(store.get('k100')).resolves.toBe('v');
      expect(store.size).toBe(40_000);
    });
  });

  describe('when the background sweep runs', () => {
    afterEach(() => {
      jest.useRealTimers();
    });

    it('should work in slices, one per event-loop turn, until every expired entry is gone', async () => {
      jest.useFakeTimers();
      const store = new MemoryStore({ maxEntries: 100_000, sweepInterval: 1000 });
      const expired = SWEEP_SLICE_ENTRIES * 3 + 10;
      await fill(store, expired, 0.5, 'old');
      await store.set('live', 'v', { ttl: 60 });
      jest.advanceTimersByTime(999);
      jest.setSystemTime(Date.now() + 1); // the interval is due, the entries ran out
      // The interval's own timer fires first; each slice after it is one immediate.
      jest.advanceTimersToNextTimer();
      expect(store.size).toBe(expired + 1 - SWEEP_SLICE_ENTRIES);
      jest.advanceTimersToNextTimer();
      expect(store.size).toBe(expired + 1 - 2 * SWEEP_SLICE_ENTRIES);
      jest.advanceTimersToNextTimer();
      jest.advanceTimersToNextTimer();
      expect(store.size).toBe(1);
      await expect(store.get('live')).resolves.toBe('v');
      await store.close();
    });

    it('should be stopped by close() between slices', async () => {
      jest.useFakeTimers();
      const store = new MemoryStore({ maxEntries: 100_000, sweepInterval: 1000 });
      await fill(store, SWEEP_SLICE_ENTRIES * 3, 0.5);
      jest.advanceTimersByTime(1000);
      expect(jest.getTimerCount()).toBe(2); // the interval and the next slice
      await store.close();
      expect(jest.getTimerCount()).toBe(0);
    });
  });

  describe('when it is counted and cleared', () => {
    afterEach(() => {
      jest.useRealTimers();
    });

    it('should count live entries only', async () => {
      jest.useFakeTimers();
      const store = new MemoryStore({ sweepInterval: 0 });
      await fill(store, SWEEP_SLICE_ENTRIES + 5, 1, 'short');
      await fill(store, 3, 60, 'long');
      jest.setSystemTime(Date.now() + 2000);
      const counted = store.length();
      jest.runAllTimers();
      await expect(counted).resolves.toBe(3);
    });

    it('should hold nothing after clear() and accept writes again', async () => {
      const store = new MemoryStore({ sweepInterval: 0 });
      await fill(store, 10, 60);
      await store.clear();
      expect(store.size).toBe(0);
      await expect(store.get('k1')).resolves.toBeUndefined();
      await store.set('k1', 'back', { ttl: 60 });
      await expect(store.length()).resolves.toBe(1);
    });
  });
});
