import type { ExecutionContext } from '@nestjs/common';
import {
  containerOf,
  MultiSession,
  Session,
  Sessions,
} from '../../../src/request/session.decorator';
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

describe('containerOf', () => {
  const context = (req: object): ExecutionContext =>
    ({ switchToHttp: () => ({ getRequest: () => req }) }) as unknown as ExecutionContext;

  describe('when the middleware attached a container', () => {
    it('should return it', () => {
      const sessionMulti = {};
      expect(containerOf(context({ sessionMulti }))).toBe(sessionMulti);
    });
  });

  describe('when the middleware did not run', () => {
    it('should say how to fix it', () => {
      expect(() => containerOf(context({}))).toThrow(
        new SessionMultiError(
          'No session container on this request: SessionMultiModule middleware did not run. Import SessionMultiModule.forRoot() in the application module (HTTP routes only).',
        ),
      );
    });
  });
});
