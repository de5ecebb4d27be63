import type { LoggerService } from '@nestjs/common';

export type LogLevel = 'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal';

export interface LogEntry {
  level: LogLevel;
  /** The message and every other argument, stringified and joined (context, stack...). */
  text: string;
}

/**
 * A Nest LoggerService that keeps every line in memory. Install it with `app.useLogger(capture)`
 * (createTestApp's `configure`), before `init()`.
 */
export class LogCapture implements LoggerService {
  readonly entries: LogEntry[] = [];

  log(message: unknown, ...rest: unknown[]): void {
    this.push('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.push('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.push('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.push('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.push('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.push('fatal', message, rest);
  }

  /** Lines of one level. */
  at(level: LogLevel): string[] {
    return this.entries.filter((e) => e.level === level).map((e) => e.text);
  }

  /** Everything logged, one line per entry (to grep for values that must never be logged). */
  all(): string {
    return this.entries.map((e) => `${e.level}: ${e.text}`).join('\n');
  }

  clear(): void {
    this.entries.length = 0;
  }

  /**
   * Resolves once a line of `level` contains `fragment` (work done after the response was sent
   * logs a little later than the client sees the response). Rejects after `limitMs`.
   */
  async waitFor(level: LogLevel, fragment: string, limitMs = 2000): Promise<string> {
    const deadline = Date.now() + limitMs;
    for (;;) {
      const hit = this.at(level).find((t) => t.includes(fragment));
      if (hit !== undefined) {
        return hit;
      }
      if (Date.now() > deadline) {
        throw new Error(`no ${level} line containing ${JSON.stringify(fragment)}:\n${this.all()}`);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  private push(level: LogLevel, message: unknown, rest: unknown[]): void {
    const parts = [message, ...rest]
      .filter((p) => p !== undefined)
      .map((p) =>
        p instanceof Error ? (p.stack ?? p.message) : typeof p === 'string' ? p : JSON.stringify(p),
      );
    this.entries.push({ level, text: parts.join(' ') });
  }
}
