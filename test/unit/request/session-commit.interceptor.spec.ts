import { jest } from '@jest/globals';
import { Logger, type CallHandler, type ExecutionContext } from '@nestjs/common';
import { lastValueFrom, of, tap, throwError } from 'rxjs';
import { SessionCommitInterceptor } from '../../../src/request/session-commit.interceptor';
import type { SessionContainer } from '../../../src/request/session-container';

interface FakeContainer {
  interceptorEntered: boolean;
  exceptionSeen: boolean;
  needsCommit: jest.Mock<() => boolean>;
  commit: jest.Mock<(exception: boolean) => Promise<void>>;
}

function fakeContainer(needsCommit = true): FakeContainer {
  return {
    interceptorEntered: false,
    exceptionSeen: false,
    needsCommit: jest.fn(() => needsCommit),
    commit: jest.fn(() => Promise.resolve()),
  };
}

function httpContext(container: FakeContainer | undefined, type = 'http'): ExecutionContext {
  const req = { sessionMulti: container as unknown as SessionContainer | undefined };
  return {
    getType: () => type,
    switchToHttp: () => ({ getRequest: () => req }),
  } as unknown as ExecutionContext;
}

const handler = (value: unknown): CallHandler => ({ handle: () => of(value) });
const failing = (error: unknown): CallHandler => ({ handle: () => throwError(() => error) });

afterEach(() => {
  jest.restoreAllMocks();
});

describe('SessionCommitInterceptor', () => {
  const interceptor = new SessionCommitInterceptor();

  describe('when the handler returns a value', () => {
    it('should hold the value back until the commit (no exception) has finished', async () => {
      const container = fakeContainer();
      let finishCommit!: () => void;
      container.commit.mockImplementation(
        () => new Promise<void>((resolve) => (finishCommit = resolve)),
      );
      const emitted: unknown[] = [];
      const result = lastValueFrom(
        interceptor
          .intercept(httpContext(container), handler('body'))
          .pipe(tap((value) => emitted.push(value))),
      );
      await new Promise((resolve) => setImmediate(resolve));
      expect(container.commit).toHaveBeenCalledWith(false);
      expect(emitted).toEqual([]);
      finishCommit();
      await expect(result).resolves.toBe('body');
      expect(emitted).toEqual(['body']);
      expect(container.interceptorEntered).toBe(true);
    });

    it('should skip the commit when nothing needs one', async () => {
      const container = fakeContainer(false);
      await lastValueFrom(interceptor.intercept(httpContext(container), handler('body')));
      expect(container.commit).not.toHaveBeenCalled();
    });

    it('should let a commit failure reach the exception layer', async () => {
      const container = fakeContainer();
      container.commit.mockRejectedValue(new Error('too big'));
      await expect(
        lastValueFrom(interceptor.intercept(httpContext(container), handler('body'))),
      ).rejects.toThrow('too big');
    });
  });

  describe('when the handler throws', () => {
    it('should commit as an exception, then rethrow the handler error', async () => {
      const container = fakeContainer();
      const boom = new Error('handler failed');
      await expect(
        lastValueFrom(interceptor.intercept(httpContext(container), failing(boom))),
      ).rejects.toBe(boom);
      expect(container.exceptionSeen).toBe(true);
      expect(container.commit).toHaveBeenCalledWith(true);
    });

    it('should log a failing commit and still rethrow the handler error', async () => {
      const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      const container = fakeContainer();
      container.commit.mockRejectedValue(new Error('store down'));
      const boom = new Error('handler failed');
      await expect(
        lastValueFrom(interceptor.intercept(httpContext(container), failing(boom))),
      ).rejects.toBe(boom);
      expect(error).toHaveBeenCalledWith(
        'Session commit after an exception failed.',
        expect.stringContaining('store down'),
      );
    });
  });

  describe('when the request has no session container', () => {
    it('should pass through', async () => {
      await expect(
        lastValueFrom(interceptor.intercept(httpContext(undefined), handler('x'))),
      ).resolves.toBe('x');
    });
  });

  describe('when the context is not HTTP', () => {
    it('should not touch any container', async () => {
      const container = fakeContainer();
      await lastValueFrom(interceptor.intercept(httpContext(container, 'rpc'), handler('x')));
      expect(container.interceptorEntered).toBe(false);
      expect(container.commit).not.toHaveBeenCalled();
    });
  });
});
