/**
 * Runs operations on one key one after another, in call order, while operations on different
 * keys run freely. It serialises callers within this process only.
 *
 * @internal
 */
export class KeyQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Runs `operation` once every earlier operation on `key` has settled. */
  run<T>(key: string, operation: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(operation, operation);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) {
        this.tails.delete(key);
      }
    });
    return result;
  }

  /** Settles when every operation queued so far has settled. */
  async idle(): Promise<void> {
    await Promise.all(this.tails.values());
  }
}
