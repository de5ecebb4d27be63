import type { RequestRecord } from './debug-record';

/**
 * The last `size` recorded requests, newest first. Older records drop out as new ones arrive.
 *
 * @internal
 */
export class DebugHistory {
  private readonly ring: (RequestRecord | undefined)[];
  private next = 0;
  private count = 0;
  private lastId = 0;

  constructor(readonly size: number) {
    this.ring = new Array<RequestRecord | undefined>(size).fill(undefined);
  }

  /** The id the next record gets. */
  nextId(): number {
    return ++this.lastId;
  }

  add(record: RequestRecord): void {
    this.ring[this.next] = record;
    this.next = (this.next + 1) % this.size;
    this.count = Math.min(this.count + 1, this.size);
  }

  /** Newest first. */
  list(): RequestRecord[] {
    const out: RequestRecord[] = [];
    for (let i = 1; i <= this.count; i++) {
      out.push(this.ring[(this.next - i + this.size) % this.size]!);
    }
    return out;
  }

  find(id: number): RequestRecord | undefined {
    return this.list().find((r) => r.id === id);
  }
}
