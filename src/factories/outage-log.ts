import type { SessionLogger } from './session-logger';

/**
 * Logs a store outage once per namespace: one warning with the error when the first call fails,
 * one line with the number of failed calls when a call succeeds again, nothing in between.
 *
 * @internal
 */
export class OutageLog {
  private failures = 0;
  private since = 0;

  constructor(
    private readonly store: string,
    private readonly logger: SessionLogger,
    private readonly failOpen: boolean,
  ) {}

  failed(namespace: string, operation: string, cause: unknown): void {
    if (this.failures++ === 0) {
      this.since = Date.now();
      const reason = cause instanceof Error ? cause.message : String(cause);
      this.logger.warn(
        `Namespace "${namespace}": ${this.store} is unavailable (${operation}() failed: ${reason}); ${this.failOpen ? "sessions are served empty and not saved until it recovers (onStoreError: 'fail-open')" : 'requests that need it answer 503 until it recovers'}.`,
      );
    }
  }

  succeeded(namespace: string): void {
    if (this.failures > 0) {
      const seconds = ((Date.now() - this.since) / 1000).toFixed(1);
      this.logger.warn(
        `Namespace "${namespace}": ${this.store} is available again after ${seconds} s; ${this.failures} store call(s) failed meanwhile.`,
      );
      this.failures = 0;
    }
  }
}
