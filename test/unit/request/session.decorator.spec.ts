import { MultiSession, Session, Sessions } from '../../../src/request/session.decorator';
import { SessionMultiError } from '../../../src/session/session-multi.error';

describe('Session', () => {
  describe('when no namespace is given', () => {
    it.each([[''], [undefined]])('should throw at decoration time for %p', (ns) => {
      expect(() => Session(ns as never)).toThrow(
        new SessionMultiError(
          "@Session() needs the namespace to inject, e.g. @Session('cart'). Use @Sessions() for the container.",
        ),
      );
    });
  });

  describe('when a namespace is given', () => {
    it('should return a parameter decorator', () => {
      expect(typeof Session('cart')).toBe('function');
      expect(typeof Sessions()).toBe('function');
    });
  });

  describe('MultiSession', () => {
    it('should be the same decorator as Session', () => {
      expect(MultiSession).toBe(Session);
    });
  });
});
