import type { ExecutionContext } from '@nestjs/common';
import { INTERCEPTORS_METADATA } from '@nestjs/common/constants';
import {
  containerOf,
  MultiSession,
  Session,
  Sessions,
} from '../../../src/request/session.decorator';
import { SessionCommitInterceptor } from '../../../src/request/session-commit.interceptor';
import { NAMESPACE_PARAMS_METADATA } from '../../../src/request/session-multi.metadata';
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

  describe('when a handler takes sessions', () => {
    class Controller {
      both(_cart: unknown, _ui: unknown, _all: unknown): void {}
      none(): void {}
    }
    const proto = Controller.prototype;
    Session('cart')(proto, 'both', 0);
    MultiSession('ui')(proto, 'both', 1);
    Sessions()(proto, 'both', 2);

    it('should add the commit interceptor to the route once', () => {
      expect(Reflect.getMetadata(INTERCEPTORS_METADATA, proto.both)).toEqual([
        SessionCommitInterceptor,
      ]);
    });

    it('should record the namespaces for the start-up check', () => {
      expect(Reflect.getMetadata(NAMESPACE_PARAMS_METADATA, proto.both)).toEqual(['cart', 'ui']);
    });

    it('should leave routes without sessions without an interceptor', () => {
      expect(Reflect.getMetadata(INTERCEPTORS_METADATA, proto.none)).toBeUndefined();
    });
  });
});

describe('containerOf', () => {
  const context = (req: object): ExecutionContext =>
    ({ switchToHttp: () => ({ getRequest: () => req }) }) as unknown as ExecutionContext;

  describe('when the middleware attached a container to an Express request', () => {
    it('should return it', () => {
      const sessionMulti = {};
      expect(containerOf(context({ sessionMulti }))).toBe(sessionMulti);
    });
  });

  describe('when the container is on the raw request of a Fastify request', () => {
    it('should return it', () => {
      const sessionMulti = {};
      expect(containerOf(context({ raw: { sessionMulti } }))).toBe(sessionMulti);
    });
  });

  describe('when the middleware did not run', () => {
    it('should say how to fix it', () => {
      expect(() => containerOf(context({}))).toThrow(
        new SessionMultiError(
          'No session container on this request: the SessionMultiModule middleware did not run. Import SessionMultiModule.forRoot() or forRootAsync() in the application module (HTTP routes only).',
        ),
      );
    });
  });
});
