import { SessionConfigurationError } from '../session/session-configuration.error';

/**
 * Options of {@link FileStore} (Pesto's `FileSessionManager` and its purge settings).
 *
 * @publicApi
 */
export interface FileStoreOptions {
  /**
   * Directory holding one file per session. Created (with parents) with mode `0700` when
   * missing; an existing directory keeps its mode. Files are created with mode `0600`.
   */
  directory: string;
  /**
   * Seconds between background purges of idle files. The timer is `unref()`'d and `close()`
   * clears it. `0` disables it (call {@link FileStore.purge} yourself, e.g. from a cron job).
   * @default 60
   */
  autoPurgeEvery?: number;
  /**
   * Seconds without a write or touch (file mtime) after which a purge removes a session file,
   * whatever its TTL. Keep it at least as long as the session timeout.
   * @default 1800
   */
  autoPurgeOlderThan?: number;
  /** Called with the error when a background purge fails (a purge never throws). @default ignore */
  onPurgeError?: (error: unknown) => void;
}

/** A duration option in seconds, checked, or its default. @internal */
export function seconds(
  value: number | undefined,
  fallback: number,
  name: string,
  min: number,
): number {
  if (value === undefined) {
    return fallback;
  }
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new SessionConfigurationError(
      `FileStore: ${name} is ${String(value)}; it must be a number of seconds of at least ${min}. Fix the ${name} option.`,
    );
  }
  return value;
}
