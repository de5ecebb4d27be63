import { SessionConfigurationError } from '../session/session-configuration.error';
import { optionNames, unknownStoreOptionProblem } from './option-names';

/**
 * Options of {@link MemoryStore}.
 *
 * @publicApi
 */
export interface MemoryStoreOptions {
  /**
   * Most entries kept at once. When a write would exceed it, the least recently used entry
   * (read or written longest ago) is evicted, so the store cannot grow without bound.
   * @default 10000
   */
  maxEntries?: number;
  /**
   * Milliseconds between sweeps that drop expired entries even when nobody reads them. A sweep
   * looks at a few thousand entries per event-loop turn, so it never holds up requests for long. The
   * timer is `unref()`'d (it never keeps the process alive) and `close()` clears it. `0`
   * disables the sweep; expired entries are then dropped on read or by eviction only.
   * @default 60000
   */
  sweepInterval?: number;
}

const MEMORY_OPTION_NAMES = optionNames<MemoryStoreOptions>({
  maxEntries: true,
  sweepInterval: true,
});
const DEFAULT_MAX_ENTRIES = 10_000;
const DEFAULT_SWEEP_INTERVAL_MS = 60_000;

/** The options of a {@link MemoryStore} with defaults applied, checked. @internal */
export function memoryStoreSettings(options: MemoryStoreOptions): Required<MemoryStoreOptions> {
  const unknown = unknownStoreOptionProblem(options, MEMORY_OPTION_NAMES, 'MemoryStore');
  if (unknown !== undefined) {
    throw new SessionConfigurationError(unknown);
  }
  return {
    maxEntries: positiveInteger(options.maxEntries, DEFAULT_MAX_ENTRIES, 'maxEntries', 1),
    sweepInterval: positiveInteger(
      options.sweepInterval,
      DEFAULT_SWEEP_INTERVAL_MS,
      'sweepInterval',
      0,
    ),
  };
}

function positiveInteger(value: number | undefined, fallback: number, name: string, min: number) {
  if (value === undefined) {
    return fallback;
  }
  if (!Number.isInteger(value) || value < min) {
    throw new SessionConfigurationError(
      `MemoryStore: ${name} is ${String(value)}; it must be an integer of at least ${min}. Fix the ${name} option.`,
    );
  }
  return value;
}
