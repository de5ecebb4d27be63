import { keyChanges, keyPrints, REDACTED, snapshot } from '../../../src/debug/debug-snapshot';
import { DEFAULT_REDACT_KEYS } from '../../../src/debug/debug-options';

describe('snapshot', () => {
  describe('when keys match the redaction list', () => {
    it('should mask them case-insensitively, by substring, at any depth', () => {
      const view = snapshot(
        {
          user: 'ada',
          Password: 'p1',
          _csrft_: 'c1',
          profile: { apiKey: 'k1', list: [{ authCode: 'a1', ok: 1 }] },
        },
        DEFAULT_REDACT_KEYS,
      );
      expect(view).toEqual({
        user: 'ada',
        Password: REDACTED,
        _csrft_: REDACTED,
        profile: { apiKey: REDACTED, list: [{ authCode: REDACTED, ok: 1 }] },
      });
    });
  });

  describe('when the data is deep, long or large', () => {
    it('should bound depth, string length and entry counts', () => {
      const deep = { a: { b: { c: { d: { e: { f: { g: 1 } } } } } } };
      const view = snapshot(
        { deep, long: 'x'.repeat(600), many: Array.from({ length: 150 }, (_, i) => i) },
        [],
      );
      expect(JSON.stringify(view)).toContain('[object]');
      expect((view['long'] as string).length).toBeLessThan(520);
      expect(view['many']).toHaveLength(101);
    });

    it('should replace a snapshot that is still too large with its size', () => {
      const data: Record<string, unknown> = {};
      for (let i = 0; i < 90; i++) {
        data[`k${i}`] = 'y'.repeat(450);
      }
      expect(snapshot(data, [])).toEqual({
        '…': expect.stringMatching(/^data too large to show \(\d+ chars\)$/),
      });
    });
  });
});

describe('keyChanges', () => {
  it('should list added, removed and changed top-level keys', () => {
    const before = keyPrints({ a: 1, b: { x: 1 }, c: 'same' });
    const after = keyPrints({ b: { x: 2 }, c: 'same', d: true });
    expect(keyChanges(before, after)).toEqual({ added: ['d'], removed: ['a'], changed: ['b'] });
  });
});
