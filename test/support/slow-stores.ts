import { MemoryStore } from '../../src/stores/memory.store';
import type { StoreSetOptions } from '../../src/stores/session-store.interface';

export const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * A MemoryStore whose `set` answers after `setDelayMs`, so a commit is still in flight when the
 * handler goes on; `onSetResolved` runs just before each `set` resolves.
 */
export class SlowSetStore extends MemoryStore {
  onSetResolved: (() => void) | undefined;

  constructor(private readonly setDelayMs: number) {
    super({ sweepInterval: 0 });
  }

  override async set(key: string, value: string, options?: StoreSetOptions): Promise<boolean> {
    await delay(this.setDelayMs);
    const written = await super.set(key, value, options);
    this.onSetResolved?.();
    return written;
  }
}

/** A MemoryStore whose `delete` rejects while `failDeletes` is true (reads and writes work). */
export class FailingDeleteStore extends MemoryStore {
  failDeletes = false;

  constructor() {
    super({ sweepInterval: 0 });
  }

  override async delete(key: string): Promise<void> {
    if (this.failDeletes) {
      throw new Error('delete refused (test store)');
    }
    return super.delete(key);
  }
}
