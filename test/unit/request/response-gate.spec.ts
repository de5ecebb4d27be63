import { jest } from '@jest/globals';
import { ServiceUnavailableException, type Logger } from '@nestjs/common';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import type { SessionResponse } from '../../../src/factories/session-factory.interface';
import {
  gateResponsePrototype,
  installResponseGate,
  type GateOwner,
} from '../../../src/request/response-gate';

type Call = [string, unknown[]];

/** A response whose header-sending methods only record their calls. */
function recordingResponse(): { res: SessionResponse; calls: Call[] } {
  const res = new ServerResponse(new IncomingMessage(new Socket()));
  const calls: Call[] = [];
  for (const name of ['writeHead', 'write', 'end', 'flushHeaders'] as const) {
    (res as unknown as Record<string, unknown>)[name] = function (
      this: unknown,
      ...args: unknown[]
    ) {
      calls.push([name, args]);
      return name === 'write' ? true : res;
    };
  }
  return { res, calls };
}

function deferred(): { promise: Promise<void>; resolve: () => void; reject: (e: unknown) => void } {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function owner(
  needsCommit: boolean,
  commit: Promise<void> | undefined | (() => never),
): GateOwner & { commitBeforeHeaders: jest.Mock } {
  // Like the container: once committed, nothing is left to commit unless something changes.
  let needs = needsCommit;
  return {
    needsCommit: () => needs,
    commitBeforeHeaders: jest.fn(() => {
      needs = false;
      return typeof commit === 'function' ? commit() : commit;
    }),
  };
}

/**
 * Express's layout: responses whose prototype (`app.response`) carries the methods. The
 * recording methods sit on the prototype, which the gate then wraps once.
 */
function gatedPrototypeResponses(): { make: () => SessionResponse; calls: Call[] } {
  const calls: Call[] = [];
  const proto = Object.create(ServerResponse.prototype) as Record<string, unknown>;
  for (const name of ['writeHead', 'write', 'end', 'flushHeaders'] as const) {
    proto[name] = function (this: unknown, ...args: unknown[]) {
      calls.push([name, args]);
      return name === 'write' ? true : this;
    };
  }
  gateResponsePrototype(proto);
  gateResponsePrototype(proto); // a second application module: wraps once only
  const make = (): SessionResponse => {
    const res = new ServerResponse(new IncomingMessage(new Socket()));
    Object.setPrototypeOf(res, proto);
    return res;
  };
  return { make, calls };
}

function fakeLogger(): Logger & { error: jest.Mock } {
  return { error: jest.fn(), warn: jest.fn(), debug: jest.fn() } as never;
}

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('installResponseGate', () => {
  describe('when no session needs a commit', () => {
    it('should pass the first call straight through and remove itself', () => {
      const { res, calls } = recordingResponse();
      const original = res.end;
      const o = owner(false, Promise.resolve());
      installResponseGate(res, o, fakeLogger());
      expect(res.end).not.toBe(original);
      res.end('body');
      expect(calls).toEqual([['end', ['body']]]);
      expect(o.commitBeforeHeaders).not.toHaveBeenCalled();
      expect(res.end).toBe(original);
    });
  });

  describe('when a session needs a commit', () => {
    it('should hold writeHead, write and end until the commit resolves, then replay them in order', async () => {
      const { res, calls } = recordingResponse();
      const commit = deferred();
      const o = owner(true, commit.promise);
      installResponseGate(res, o, fakeLogger());
      expect(res.writeHead(200)).toBe(res);
      expect(res.write('a')).toBe(true);
      expect(res.end('b')).toBe(res);
      await flush();
      expect(calls).toEqual([]);
      expect(o.commitBeforeHeaders).toHaveBeenCalledTimes(1);
      commit.resolve();
      await flush();
      expect(calls).toEqual([
        ['writeHead', [200]],
        ['write', ['a']],
        ['end', ['b']],
      ]);
    });

    it('should restore the original methods after the release', async () => {
      const { res, calls } = recordingResponse();
      const original = res.write;
      installResponseGate(res, owner(true, Promise.resolve()), fakeLogger());
      res.write('a');
      await flush();
      expect(res.write).toBe(original);
      res.write('b');
      expect(calls.map(([, args]) => args[0])).toEqual(['a', 'b']);
    });
  });

  describe('when the commit fails', () => {
    it('should answer 500 instead, keep cookies already committed and log the error', async () => {
      const { res, calls } = recordingResponse();
      res.setHeader('Set-Cookie', 'ui=half');
      res.setHeader('Content-Length', '2');
      const logger = fakeLogger();
      installResponseGate(res, owner(true, Promise.reject(new Error('too big'))), logger);
      res.end('ok');
      await flush();
      expect(res.statusCode).toBe(500);
      // Namespaces whose commit succeeded wrote their store records: their cookies must go out.
      expect(res.getHeader('set-cookie')).toBe('ui=half');
      expect(res.getHeader('content-length')).toBeUndefined();
      expect(res.getHeader('content-type')).toBe('application/json; charset=utf-8');
      expect(calls).toEqual([
        ['end', ['{"statusCode":500,"message":"Session could not be saved."}']],
      ]);
      expect(logger.error).toHaveBeenCalledTimes(1);
      expect(logger.error).toHaveBeenCalledWith(
        'Session commit failed before the response was sent; answering 500 instead.',
        expect.stringContaining('too big'),
      );
    });

    it('should use the status of an HttpException (e.g. 503 for a store outage)', async () => {
      const { res } = recordingResponse();
      installResponseGate(
        res,
        owner(true, Promise.reject(new ServiceUnavailableException('down'))),
        fakeLogger(),
      );
      res.end();
      await flush();
      expect(res.statusCode).toBe(503);
    });
  });

  describe('when the commit is decided synchronously (nothing to write)', () => {
    it('should pass the first call straight through without holding it', () => {
      const { res, calls } = recordingResponse();
      const original = res.end;
      const o = owner(true, undefined);
      installResponseGate(res, o, fakeLogger());
      res.end('body');
      expect(o.commitBeforeHeaders).toHaveBeenCalledTimes(1);
      expect(calls).toEqual([['end', ['body']]]);
      expect(res.end).toBe(original);
    });
  });

  describe('when the commit throws synchronously', () => {
    it('should drop the held call and answer the error response instead', async () => {
      const { res, calls } = recordingResponse();
      const logger = fakeLogger();
      installResponseGate(
        res,
        owner(true, () => {
          throw new ServiceUnavailableException('down');
        }),
        logger,
      );
      res.end('ok');
      expect(calls).toEqual([]);
      await flush();
      expect(res.statusCode).toBe(503);
      expect(calls).toEqual([
        ['end', ['{"statusCode":503,"message":"Session could not be saved."}']],
      ]);
      expect(logger.error).toHaveBeenCalledTimes(1);
    });
  });

  describe('on a response whose prototype is gated (Express)', () => {
    it('should pass calls through while no gate is armed', () => {
      const { make, calls } = gatedPrototypeResponses();
      const res = make();
      res.writeHead(204);
      res.end();
      expect(calls).toEqual([
        ['writeHead', [204]],
        ['end', []],
      ]);
    });

    it('should hold and replay like the own-method gate, adding no own methods to the response', async () => {
      const { make, calls } = gatedPrototypeResponses();
      const res = make();
      const commit = deferred();
      installResponseGate(res, owner(true, commit.promise), fakeLogger());
      expect(res.write('a')).toBe(true);
      expect(res.end('b')).toBe(res);
      expect(calls).toEqual([]);
      for (const name of ['writeHead', 'write', 'end', 'flushHeaders']) {
        expect(Object.hasOwn(res, name)).toBe(false);
      }
      commit.resolve();
      await flush();
      expect(calls).toEqual([
        ['write', ['a']],
        ['end', ['b']],
      ]);
      res.write('c');
      expect(calls).toHaveLength(3);
    });

    it('should leave other responses of the same application alone', async () => {
      const { make, calls } = gatedPrototypeResponses();
      const held = make();
      const other = make();
      installResponseGate(held, owner(true, deferred().promise), fakeLogger());
      held.end('held');
      other.end('other');
      await flush();
      expect(calls).toEqual([['end', ['other']]]);
    });
  });

  describe('when a session changes while the response is held', () => {
    it('should commit again before replaying the held calls', async () => {
      const { res, calls } = recordingResponse();
      const first = deferred();
      const second = deferred();
      let needs = true;
      const o = {
        needsCommit: () => needs,
        commitBeforeHeaders: jest.fn<() => Promise<void>>(),
      };
      o.commitBeforeHeaders
        .mockImplementationOnce(() => {
          needs = false;
          return first.promise;
        })
        .mockImplementationOnce(() => {
          needs = false;
          return second.promise;
        });
      installResponseGate(res, o, fakeLogger());
      res.end('body');
      needs = true; // a change made after send(), while the first commit is in flight
      first.resolve();
      await flush();
      expect(o.commitBeforeHeaders).toHaveBeenCalledTimes(2);
      expect(calls).toEqual([]);
      second.resolve();
      await flush();
      expect(calls).toEqual([['end', ['body']]]);
    });

    it('should let the response go after two extra commits when the session keeps changing', async () => {
      const { res, calls } = recordingResponse();
      const o = {
        needsCommit: () => true,
        commitBeforeHeaders: jest.fn(() => Promise.resolve()),
      };
      installResponseGate(res, o, fakeLogger());
      res.end('body');
      await flush();
      expect(o.commitBeforeHeaders).toHaveBeenCalledTimes(3);
      expect(calls).toEqual([['end', ['body']]]);
    });
  });
});
