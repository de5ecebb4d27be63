import { jest } from '@jest/globals';
import { Logger, type CallHandler, type ExecutionContext } from '@nestjs/common';
import { lastValueFrom, Observable, of, tap, throwError } from 'rxjs';
import { SessionCommitInterceptor } from '../../../src/request/session-commit.interceptor';
import type { SessionContainer } from '../../../src/request/session-container';

interface FakeContainer {
  interceptorEntered: boolean;
  exceptionSeen: boolean;
  left: number;
  res: object;
  needsCommit: jest.Mock<() => boolean>;
  commit: jest.Mock<(exception: boolean) => Promise<void>>;
  commitForResponse: jest.Mock<(exception: boolean) => Promise<void> | undefined>;
  enterInterceptor(deferNet: boolean): void;
  leaveInterceptor(): void;
}

/** A container whose sessions need one commit (as a real one: nothing left once committed). */
function fakeContainer(needsCommit = true): FakeContainer {
  let committed = false;
  const container: FakeContainer = {
    interceptorEntered: false,
    exceptionSeen: false,
    left: 0,
    res: {},
    needsCommit: jest.fn(() => needsCommit && !committed),
    commit: jest.fn(() => Promise.resolve()),
    commitForResponse: jest.fn((exception: boolean) => {
      committed = true;
      return container.commit(exception);
    }),
    enterInterceptor() {
      container.interceptorEntered = true;
    },
    leaveInterceptor() {
      container.left++;
    },
  };
  return container;
}

class Controller {
  handler(): void {}
}

function httpContext(container: FakeContainer | undefined, type = 'http'): ExecutionContext {
  const req = { sessionMulti: container as unknown as SessionContainer | undefined };
  return {
    getType: () => type,
    getClass: () => Controller,
    getHandler: () => Controller.prototype.handler,
    switchToHttp: () => ({ getRequest: () => req, getResponse: () => container?.res }),
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
    it('should hold the completion (what Nest answers on) back until the commit (no exception) has finished', async () => {
      const container = fakeContainer();
      let finishCommit!: () => void;
      container.commit.mockImplementation(
        () => new Promise<void>((resolve) => (finishCommit = resolve)),
      );
      const emitted: unknown[] = [];
      let completed = false;
      const result = lastValueFrom(
        interceptor
          .intercept(httpContext(container), handler('body'))
          .pipe(tap({ next: (value) => emitted.push(value), complete: () => (completed = true) })),
      );
      await new Promise((resolve) => setImmediate(resolve));
      expect(container.commit).toHaveBeenCalledWith(false);
      // The value passes on (an outer interceptor sees it); the response waits for completion.
      expect(emitted).toEqual(['body']);
      expect(completed).toBe(false);
      finishCommit();
      await expect(result).resolves.toBe('body');
      expect(completed).toBe(true);
      expect(container.interceptorEntered).toBe(true);
      expect(container.left).toBe(1);
    });

    it('should pass the value on at once when the commit is decided synchronously', () => {
      const container = fakeContainer();
      container.commitForResponse.mockReturnValue(undefined);
      const seen: unknown[] = [];
      interceptor.intercept(httpContext(container), handler('body')).subscribe((v) => seen.push(v));
      expect(seen).toEqual(['body']);
      expect(container.commitForResponse).toHaveBeenCalledWith(false);
    });

    it('should hand the rest to the safety net when unsubscribed before completing', () => {
      const container = fakeContainer();
      const never: CallHandler = { handle: () => new Observable<never>(() => undefined) };
      const subscription = interceptor.intercept(httpContext(container), never).subscribe();
      expect(container.left).toBe(0);
      subscription.unsubscribe();
      expect(container.left).toBe(1);
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
