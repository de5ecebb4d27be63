/**
 * Where a factory reports what it cannot throw: refused cookies (debug), store outages and
 * unsaved changes (warn), hooks that threw (error). Nest's `Logger` satisfies it; the module
 * hands one (context `'SessionMulti'`) to every factory that was not given its own `logger`.
 *
 * @publicApi
 */
export interface SessionLogger {
  debug(message: string): void;
  warn(message: string): void;
  error(message: string, stack?: string): void;
}

/**
 * The logger of a factory used without the module: warnings and errors become process warnings
 * (visible on stderr), debug lines are dropped.
 *
 * @internal
 */
const PROCESS_WARNING_LOGGER: SessionLogger = {
  debug: () => undefined,
  warn: (message) => process.emitWarning(message, 'SessionMultiWarning'),
  error: (message, stack) =>
    process.emitWarning(
      stack === undefined ? message : `${message}\n${stack}`,
      'SessionMultiError',
    ),
};

/** A factory's current logger: its own option, else the module's, else process warnings. @internal */
export class LoggerSlot implements SessionLogger {
  private target: SessionLogger;

  constructor(private readonly own: SessionLogger | undefined) {
    this.target = own ?? PROCESS_WARNING_LOGGER;
  }

  /** The module's logger, used unless the factory was given its own. */
  useDefault(logger: SessionLogger): void {
    if (this.own === undefined) {
      this.target = logger;
    }
  }

  debug(message: string): void {
    this.target.debug(message);
  }

  warn(message: string): void {
    this.target.warn(message);
  }

  error(message: string, stack?: string): void {
    this.target.error(message, stack);
  }
}
