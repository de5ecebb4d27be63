import { jest } from '@jest/globals';
import { flash, peekFlash, popFlash } from '../../../src/session/flash';
import { SessionValueError } from '../../../src/session/session-multi.error';

describe('flash', () => {
  describe('when no queue is named', () => {
    it('should append to the default queue under "_f_"', () => {
      const data: Record<string, unknown> = {};
      flash(data, 'saved', {});
      flash(data, 'again', {});
      expect(data).toEqual({ _f_: ['saved', 'again'] });
    });
  });

  describe('when a queue is named', () => {
    it('should keep that queue apart under "_f_<queue>"', () => {
      const data: Record<string, unknown> = {};
      flash(data, 'oops', { queue: 'error' });
      flash(data, 'ok', {});
      expect(data).toEqual({ _f_error: ['oops'], _f_: ['ok'] });
    });
  });

  describe('when allowDuplicate is left at its default', () => {
    it('should queue the same message twice', () => {
      const data: Record<string, unknown> = {};
      flash(data, 'hi', {});
      flash(data, 'hi', {});
      expect(data['_f_']).toEqual(['hi', 'hi']);
    });
  });

  describe('when allowDuplicate is false', () => {
    it('should skip a message equal to one already queued', () => {
      const data: Record<string, unknown> = {};
      flash(data, 'hi', { allowDuplicate: false });
      flash(data, 'hi', { allowDuplicate: false });
      flash(data, 'other', { allowDuplicate: false });
      expect(data['_f_']).toEqual(['hi', 'other']);
    });

    it('should compare structured messages by value', () => {
      const data: Record<string, unknown> = {};
      flash(data, { level: 'info', text: 'x' }, {});
      flash(data, { level: 'info', text: 'x' }, { allowDuplicate: false });
      flash(data, { level: 'warn', text: 'x' }, { allowDuplicate: false });
      expect(data['_f_']).toEqual([
        { level: 'info', text: 'x' },
        { level: 'warn', text: 'x' },
      ]);
    });

    it('should only look in the named queue', () => {
      const data: Record<string, unknown> = {};
      flash(data, 'hi', { queue: 'a' });
      flash(data, 'hi', { queue: 'b', allowDuplicate: false });
      expect(data).toEqual({ _f_a: ['hi'], _f_b: ['hi'] });
    });
  });

  describe('when the message is not a JSON value', () => {
    it('should throw SessionValueError and queue nothing', () => {
      const data: Record<string, unknown> = {};
      expect(() => flash(data, new Date(0), { queue: 'q' })).toThrow(SessionValueError);
      expect(() => flash(data, new Date(0), { queue: 'q' })).toThrow(
        'Session value at "_f_q[]" is a Date',
      );
      expect(data).toEqual({});
    });
  });
});

describe('popFlash', () => {
  describe('when the queue holds messages', () => {
    it('should return them, remove the queue and mark the session dirty', () => {
      const data: Record<string, unknown> = { _f_: ['a', 'b'], other: 1 };
      const markDirty = jest.fn();
      expect(popFlash(data, '', markDirty)).toEqual(['a', 'b']);
      expect(data).toEqual({ other: 1 });
      expect(markDirty).toHaveBeenCalledTimes(1);
    });
  });

  describe('when the queue is empty or missing', () => {
    it('should return [] without marking the session dirty', () => {
      const markDirty = jest.fn();
      expect(popFlash({}, 'none', markDirty)).toEqual([]);
      expect(markDirty).not.toHaveBeenCalled();
    });
  });

  describe('when the key holds something other than a list', () => {
    it('should treat the queue as empty', () => {
      const data: Record<string, unknown> = { _f_: 'not a list' };
      expect(popFlash(data, '', jest.fn())).toEqual([]);
      expect(data).toEqual({ _f_: 'not a list' });
    });
  });
});

describe('peekFlash', () => {
  describe('when the queue holds messages', () => {
    it('should return a copy and leave the queue in place', () => {
      const data: Record<string, unknown> = { _f_info: ['a'] };
      const peeked = peekFlash(data, 'info');
      peeked.push('b');
      expect(peeked).toEqual(['a', 'b']);
      expect(data).toEqual({ _f_info: ['a'] });
    });
  });

  describe('when the queue is missing', () => {
    it('should return []', () => {
      expect(peekFlash({}, '')).toEqual([]);
    });
  });
});
