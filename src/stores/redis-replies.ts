import type { ReplaceResult } from './session-store.interface';

/** The reply of the replace script as a {@link ReplaceResult}. */
export function replaceResult(reply: unknown): ReplaceResult {
  const [code, current] = reply as [unknown, unknown];
  switch (Number(code)) {
    case 1:
      return { status: 'written' };
    case 0:
      return { status: 'missing' };
    default:
      return {
        status: 'conflict',
        current: Buffer.isBuffer(current) ? current.toString('utf8') : String(current),
      };
  }
}

/** A prefix as a literal in a SCAN MATCH pattern. */
export function globEscape(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

export function nothing(): void {}

/** EX takes whole seconds; a fractional TTL is rounded up so a key never expires early. */
export function wholeSeconds(ttl: number): number {
  return Math.ceil(ttl);
}

export function isUnknownCommand(error: unknown, command: string): boolean {
  const raw = (error as { message?: unknown } | null)?.message;
  const message = typeof raw === 'string' ? raw.toLowerCase() : '';
  return message.includes('unknown command') && message.includes(command);
}
