import { SessionConfigurationError } from '../session/session-configuration.error';
import { optionNames, unknownStoreOptionProblem } from './option-names';

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

const FILE_OPTION_NAMES = optionNames<FileStoreOptions>({
  directory: true,
  autoPurgeEvery: true,
  autoPurgeOlderThan: true,
  onPurgeError: true,
});

/**
 * Throws on an unknown option (a misspelt `directory` must not read as "no directory") or a
 * missing directory; the durations are checked as they are read.
 *
 * @internal
 */
export function checkFileStoreOptions(options: FileStoreOptions): void {
  const problem =
    options !== null && typeof options === 'object'
      ? unknownStoreOptionProblem(options, FILE_OPTION_NAMES, 'FileStore')
      : undefined;
  if (problem !== undefined) {
    throw new SessionConfigurationError(problem);
  }
  if (typeof options?.directory !== 'string' || options.directory === '') {
    throw new SessionConfigurationError(
      'FileStore: no directory was given. Set the directory option, e.g. directory: join(tmpdir(), "my-app-sessions").',
    );
  }
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
