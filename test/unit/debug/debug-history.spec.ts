import { DebugHistory } from '../../../src/debug/debug-history';
import type { RequestRecord } from '../../../src/debug/debug-record';

function record(id: number): RequestRecord {
  return { id, method: 'GET', path: '/', status: 200, time: '', durationMs: 0, namespaces: [] };
}

describe('DebugHistory', () => {
  describe('when more records arrive than it holds', () => {
    it('should keep the newest, newest first', () => {
      const history = new DebugHistory(3);
      for (let i = 0; i < 5; i++) {
        history.add(record(history.nextId()));
      }
      expect(history.list().map((r) => r.id)).toEqual([5, 4, 3]);
      expect(history.find(2)).toBeUndefined();
      expect(history.find(4)?.id).toBe(4);
    });
  });
});
