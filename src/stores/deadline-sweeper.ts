interface Watched {
  /** Epoch milliseconds after which the call is rejected. */
  readonly at: number;
  readonly reject: (error: Error) => void;
  readonly timeoutError: () => Error;
}

/**
 * Deadlines for store calls without a timer per call. A pending call sits in a set; one unref'd
 * interval, running only while calls are pending, rejects those whose deadline has passed. A call
 * is rejected between its deadline and one `resolution` later (50 ms against a 1100 ms deadline
 * by default), which is all a deadline for a frozen server needs; it saves a `setTimeout` /
 * `clearTimeout` pair per command.
 *
 * @internal
 */
export class DeadlineSweeper {
  private readonly pending = new Set<Watched>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly resolution: number) {}

  /** Settles like `promise`, or rejects with `timeoutError()` once about `ms` have passed. */
  watch<T>(promise: Promise<T>, ms: number, timeoutError: () => Error): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const watched: Watched = { at: Date.now() + ms, reject, timeoutError };
      this.pending.add(watched);
      this.timer ??= this.start();
      promise.then(
        (value) => {
          if (this.pending.delete(watched)) {
            resolve(value);
          }
        },
        (error: unknown) => {
          if (this.pending.delete(watched)) {
            reject(error);
          }
        },
      );
    });
  }

  /** Calls still waiting (for tests). */
  get size(): number {
    return this.pending.size;
  }

  private start(): NodeJS.Timeout {
    const timer = setInterval(() => this.sweep(), this.resolution);
    // Pending store calls must not keep a process alive that has nothing else to do.
    timer.unref();
    return timer;
  }

  private sweep(): void {
    const now = Date.now();
    for (const watched of this.pending) {
      if (watched.at <= now) {
        this.pending.delete(watched);
        watched.reject(watched.timeoutError());
      }
    }
    if (this.pending.size === 0 && this.timer !== undefined) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}

/**
 * Settles like `promise`, or rejects once `ms` have passed, with a timer of its own: for
 * `close()` only (commands use the shared {@link DeadlineSweeper}). @internal
 */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  const timeoutError = () => new Error(`no answer within ${ms} ms`);
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(timeoutError()), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
