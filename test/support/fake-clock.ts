import { jest } from '@jest/globals';

/** Every fakeable API except Date: the HTTP server's own timers keep running. */
const ALL_BUT_DATE = [
  'hrtime',
  'nextTick',
  'performance',
  'queueMicrotask',
  'requestAnimationFrame',
  'cancelAnimationFrame',
  'requestIdleCallback',
  'cancelIdleCallback',
  'setImmediate',
  'clearImmediate',
  'setInterval',
  'clearInterval',
  'setTimeout',
  'clearTimeout',
] as const;

/**
 * Runs `fn` with `Date` set `secondsAgo` in the past (jest fake timers, Date only), then restores
 * the real clock. Use it to mint a cookie "earlier" and replay it now.
 */
export async function inThePast<T>(secondsAgo: number, fn: () => Promise<T>): Promise<T> {
  jest.useFakeTimers({ now: Date.now() - secondsAgo * 1000, doNotFake: [...ALL_BUT_DATE] });
  try {
    return await fn();
  } finally {
    jest.useRealTimers();
  }
}

/** The current time in epoch seconds. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
