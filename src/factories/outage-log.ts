import type { SessionLogger } from './session-logger';

/**
 * Outages reported closer together than this are summed up instead: a store that fails one call
 * in two (a flapping link, one shard of a cluster down) logs at most one warning and one recovery
 * line per minute, not two lines per request.
 */
const REPORT_INTERVAL_MS = 60_000;

/**
 * Logs a store outage once per namespace: one warning with the error when the first call fails,
 * one line with the number of failed calls when a call succeeds again, nothing in between.
 *
 * An outage that starts within a minute of the last warning is not reported on its own: the next
 * warning, once a minute has passed, says how many such brief outages and failed calls there were
 * meanwhile, so an intermittent failure stays visible without flooding the log.
 *
 * @internal
 */
export class OutageLog {
  /** Calls failed in the current outage (0: no outage). */
  private failures = 0;
  private since = 0;
  /** The current outage was reported with a warning (its recovery is reported too). */
  private reported = false;
  private lastWarning = Number.NEGATIVE_INFINITY;
  /** Outages, and calls failed in them, that were not reported on their own. */
  private unreportedOutages = 0;
  private unreportedFailures = 0;

  constructor(
    private readonly store: string,
    private readonly logger: SessionLogger,
    private readonly failOpen: boolean,
    private readonly now: () => number = Date.now,
  ) {}

  failed(namespace: string, operation: string, cause: unknown): void {
    if (this.failures++ === 0) {
      this.since = this.now();
      this.reported = false;
    }
    // A new outage, or one that started unreported and has outlasted the quiet minute.
    if (!this.reported && this.now() - this.lastWarning >= REPORT_INTERVAL_MS) {
      this.report(namespace, operation, cause);
    }
  }

  private report(namespace: string, operation: string, cause: unknown): void {
    this.reported = true;
    this.lastWarning = this.now();
    const reason = cause instanceof Error ? cause.message : String(cause);
    const consequence = this.failOpen
      ? "sessions are served empty and not saved until it recovers (onStoreError: 'fail-open')"
      : 'requests that need it answer 503 until it recovers';
    this.logger.warn(
      `Namespace "${namespace}": ${this.store} is unavailable (${operation}() failed: ${reason}); ${consequence}.${this.takeUnreported()}`,
    );
  }

  succeeded(namespace: string): void {
    if (this.failures === 0) {
      return;
    }
    if (this.reported) {
      const seconds = ((this.now() - this.since) / 1000).toFixed(1);
      this.logger.warn(
        `Namespace "${namespace}": ${this.store} is available again after ${seconds} s; ${this.failures} store call(s) failed meanwhile.`,
      );
    } else {
      this.unreportedOutages++;
      this.unreportedFailures += this.failures;
    }
    this.failures = 0;
    this.reported = false;
  }

  /** The brief outages since the last warning, as a sentence to append to the next one. */
  private takeUnreported(): string {
    if (this.unreportedOutages === 0) {
      return '';
    }
    const text = ` Since the last report: ${this.unreportedOutages} more brief outage(s), ${this.unreportedFailures} store call(s) failed.`;
    this.unreportedOutages = 0;
    this.unreportedFailures = 0;
    return text;
  }
}
