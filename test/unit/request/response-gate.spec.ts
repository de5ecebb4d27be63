import { jest } from '@jest/globals';
import { ServiceUnavailableException, type Logger } from '@nestjs/common';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import type { SessionResponse } from '../../../src/factories/session-factory.interface';
import { installResponseGate, type GateOwner } from '../../../src/request/response-gate';

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
  commit: Promise<void>,
): GateOwner & { commitBeforeHeaders: jest.Mock } {
  return {
    needsCommit: () => needsCommit,
    commitBeforeHeaders: jest.fn(() => commit),
  };
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
});
