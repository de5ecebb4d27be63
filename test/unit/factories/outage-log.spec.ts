import { OutageLog } from '../../../src/factories/outage-log';
import type { SessionLogger } from '../../../src/factories/session-logger';

function setup(): { log: OutageLog; lines: string[]; advance: (ms: number) => void } {
  const lines: string[] = [];
  const logger: SessionLogger = {
    debug: () => undefined,
    warn: (message: unknown) => lines.push(String(message)),
    error: () => undefined,
  };
  let now = 1_000_000;
  const log = new OutageLog('RedisStore', logger, false, () => now);
  return { log, lines, advance: (ms) => (now += ms) };
}

const down = new Error('connect ECONNREFUSED');

describe('OutageLog', () => {
  describe('when a store goes down and comes back', () => {
    it('should log one warning at the first failure and one line at the recovery', () => {
      const { log, lines, advance } = setup();
      log.failed('cart', 'get', down);
      log.failed('cart', 'get', down);
      advance(2500);
      log.failed('cart', 'set', down);
      log.succeeded('cart');
      log.succeeded('cart');
      expect(lines).toEqual([
        'Namespace "cart": RedisStore is unavailable (get() failed: connect ECONNREFUSED); requests that need it answer 503 until it recovers.',
        'Namespace "cart": RedisStore is available again after 2.5 s; 3 store call(s) failed meanwhile.',
      ]);
    });
  });

  describe('when the store fails one call in two for a minute', () => {
    it('should log one outage and its recovery, then sum the brief outages up in the next warning', () => {
      const { log, lines, advance } = setup();
      for (let i = 0; i < 600; i++) {
        log.failed('cart', 'get', down);
        advance(50);
        log.succeeded('cart');
        advance(50);
      }
      // 60 s have passed: the next failure is reported, with what happened meanwhile.
      log.failed('cart', 'get', down);
      expect(lines).toHaveLength(3);
      expect(lines[1]).toBe(
        'Namespace "cart": RedisStore is available again after 0.1 s; 1 store call(s) failed meanwhile.',
      );
      expect(lines[2]).toBe(
        'Namespace "cart": RedisStore is unavailable (get() failed: connect ECONNREFUSED); requests that need it answer 503 until it recovers. Since the last report: 599 more brief outage(s), 599 store call(s) failed.',
      );
    });
  });

  describe('when a long outage starts shortly after a brief one', () => {
    it('should report it once the quiet minute is over, and report its recovery', () => {
      const { log, lines, advance } = setup();
      log.failed('cart', 'get', down);
      log.succeeded('cart');
      advance(10_000);
      log.failed('cart', 'get', down);
      expect(lines).toHaveLength(2);
      advance(49_999);
      log.failed('cart', 'get', down);
      expect(lines).toHaveLength(2);
      advance(1);
      log.failed('cart', 'get', down);
      expect(lines).toHaveLength(3);
      expect(lines[2]).toContain('is unavailable (get() failed: connect ECONNREFUSED)');
      expect(lines[2]).not.toContain('Since the last report');
      advance(5000);
      log.succeeded('cart');
      expect(lines[3]).toBe(
        'Namespace "cart": RedisStore is available again after 55.0 s; 3 store call(s) failed meanwhile.',
      );
    });
  });
});
