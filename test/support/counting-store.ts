import { MemoryStore } from '../../src/stores/memory.store';

/** A MemoryStore that counts its reads (`get`, `getAndTouch`), like express-session's smart store. */
export class CountingStore extends MemoryStore {
  reads = 0;

  override get(key: string): Promise<string | undefined> {
    this.reads++;
    return super.get(key);
  }

  override getAndTouch(key: string, ttl: number): Promise<string | undefined> {
    this.reads++;
    return super.getAndTouch(key, ttl);
  }
}
