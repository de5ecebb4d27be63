import { jest } from '@jest/globals';
import {
  cookieCandidates,
  pickCookie,
  refusedCookieReason,
} from '../../../src/factories/cookie-candidates';
import {
  InvalidSessionDeserialization,
  InvalidSessionSignature,
} from '../../../src/session/invalid-session.errors';
import { fakeRequest, loadContext } from '../../support/factory-context';

/** Accepts values starting with "ok", like a decoder that verifies them. */
const open = (value: string): string | undefined => (value.startsWith('ok') ? value : undefined);

describe('pickCookie', () => {
  describe('when no value was sent', () => {
    it('should answer absent, also for empty values', () => {
      expect(pickCookie([], open)).toEqual({ kind: 'absent' });
      expect(pickCookie(['', undefined], open)).toEqual({ kind: 'absent' });
    });
  });

  describe('when one of several values opens', () => {
    it('should take the first that opens, wherever it is', () => {
      expect(pickCookie(['planted', 'ok-1', 'ok-2'], open)).toEqual({
        kind: 'accepted',
        value: 'ok-1',
      });
    });
  });

  describe('when more than four values were sent', () => {
    it('should not try the fifth', () => {
      const decoder = jest.fn(open);
      expect(pickCookie(['a', 'b', 'c', 'd', 'ok'], decoder)).toEqual({
        kind: 'refused',
        reason: 'not-authentic',
      });
      expect(decoder).toHaveBeenCalledTimes(4);
    });
  });

  describe('when a value is not a string', () => {
    it('should never hand it to the decoder', () => {
      const decoder = jest.fn(open);
      expect(pickCookie([{ length: 1 }, ['ok'], 42], decoder)).toEqual({
        kind: 'refused',
        reason: 'not-a-string',
      });
      expect(decoder).not.toHaveBeenCalled();
    });

    it('should still try the string values beside it', () => {
      expect(pickCookie([{ length: 1 }, 'ok'], open)).toEqual({ kind: 'accepted', value: 'ok' });
    });
  });

  describe('when a value holds characters outside visible ASCII', () => {
    it.each([
      ['a character above U+00FF', 'ok\u0161'],
      ['a latin1 character', 'ok\u00e9'],
      ['a space', 'ok ok'],
      ['a control character', 'ok\u0000'],
    ])('should refuse %s without decoding it', (_case, value) => {
      const decoder = jest.fn(open);
      expect(pickCookie([value], decoder)).toEqual({ kind: 'refused', reason: 'not-authentic' });
      expect(decoder).not.toHaveBeenCalled();
    });
  });
});

describe('cookieCandidates', () => {
  describe('when the context has cookieValues', () => {
    it('should use it', () => {
      const ctx = {
        ...loadContext('ui', { ui: 'first' }),
        cookieValues: () => ['first', 'second'],
      };
      expect(cookieCandidates(ctx, 'ui')).toEqual(['first', 'second']);
    });
  });

  describe('when the context was built by hand with cookies only', () => {
    it('should use the one value of cookies', () => {
      expect(cookieCandidates(loadContext('ui', { ui: 'v' }, fakeRequest()), 'ui')).toEqual(['v']);
      expect(cookieCandidates(loadContext('ui', {}), 'ui')).toEqual([]);
    });
  });
});

describe('refusedCookieReason', () => {
  it('should name a value that is not a string as such', () => {
    const reason = refusedCookieReason('ui', 'not-a-string');
    expect(reason).toBeInstanceOf(InvalidSessionDeserialization);
    expect(reason.message).toBe(
      'Namespace "ui": the session cookie is not a string (another cookie parser turned it into an object); it was ignored.',
    );
  });

  it('should report a value that did not open as a signature failure', () => {
    const reason = refusedCookieReason('ui', 'not-authentic');
    expect(reason).toBeInstanceOf(InvalidSessionSignature);
    expect(reason.message).toBe('Namespace "ui": the session cookie signature did not verify.');
  });
});
