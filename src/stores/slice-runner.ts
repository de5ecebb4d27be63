interface Run {
  readonly done: Promise<void>;
  readonly finish: () => void;
  immediate: NodeJS.Immediate | undefined;
}

/**
 * Runs a long job in slices, one per turn of the event loop (`setImmediate`), so that requests
 * are served between slices instead of waiting for the whole job. One run at a time: asking for a
 * run while one is going joins it.
 *
 * @internal
 */
export class SliceRunner {
  private current: Run | undefined;

  /** Whether a run is in progress. */
  get running(): boolean {
    return this.current !== undefined;
  }

  /**
   * Calls `slice` now and then once per event-loop turn until it returns true, or until
   * {@link stop}. Resolves when the run ends; never rejects (`slice` must not throw).
   */
  run(slice: () => boolean): Promise<void> {
    if (this.current !== undefined) {
      return this.current.done;
    }
    let finish!: () => void;
    const done = new Promise<void>((resolve) => (finish = resolve));
    const run: Run = { done, finish, immediate: undefined };
    this.current = run;
    const next = (): void => {
      run.immediate = undefined;
      if (this.current !== run) {
        return;
      }
      if (slice()) {
        this.end(run);
        return;
      }
      run.immediate = setImmediate(next);
      // Background upkeep must never be what keeps a process alive.
      run.immediate.unref();
    };
    next();
    return done;
  }

  /** Ends the run in progress after its current slice; its promise resolves. */
  stop(): void {
    if (this.current !== undefined) {
      this.end(this.current);
    }
  }

  private end(run: Run): void {
    if (run.immediate !== undefined) {
      clearImmediate(run.immediate);
      run.immediate = undefined;
    }
    if (this.current === run) {
      this.current = undefined;
    }
    run.finish();
  }
}
