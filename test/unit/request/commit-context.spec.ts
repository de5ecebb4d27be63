import { jest } from '@jest/globals';
import type { Logger } from '@nestjs/common';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import type {
  CookiePolicy,
  SessionRequest,
  SessionResponse,
} from '../../../src/factories/session-factory.interface';
import { ResponseCommitContext } from '../../../src/request/commit-context';

function fakeLogger(): Logger & { warn: jest.Mock; debug: jest.Mock } {
  return { warn: jest.fn(), debug: jest.fn(), error: jest.fn(), log: jest.fn() } as never;
}

function request(secure: boolean): SessionRequest {
  const req = new IncomingMessage(new Socket()) as SessionRequest;
  req.secure = secure;
  return req;
}

function response(headersSent = false): SessionResponse {
  const res = new ServerResponse(new IncomingMessage(new Socket()));
  if (headersSent) {
    Object.defineProperty(res, 'headersSent', { value: true });
  }
  return res;
}

const allowAll: CookiePolicy = {
  cookieOnException: true,
  allowCookies: () => true,
  secure: 'auto',
};

describe('ResponseCommitContext', () => {
  describe('when nothing stands in the way', () => {
    it('should allow the cookie and log nothing', () => {
      const logger = fakeLogger();
      const ctx = new ResponseCommitContext('ui', request(false), response(), false, logger);
      expect(ctx.cookieVeto(allowAll)).toBeUndefined();
      expect(logger.warn).not.toHaveBeenCalled();
      expect(logger.debug).not.toHaveBeenCalled();
    });
  });

  describe('when the headers are already sent', () => {
    it('should veto with "headers-sent" and warn once, clearly', () => {
      const logger = fakeLogger();
      const ctx = new ResponseCommitContext('ui', request(false), response(true), false, logger);
      expect(ctx.cookieVeto(allowAll)).toBe('headers-sent');
      expect(logger.warn).toHaveBeenCalledTimes(1);
      expect(logger.warn).toHaveBeenCalledWith(
        'Namespace "ui": the session changed after the response headers were sent, so its cookie could not be set and the change was not saved. Finish session work before sending the response (with @Res(), before res.send()).',
      );
    });
  });

  describe('when an exception ended the request', () => {
    it('should veto with "exception" when cookieOnException is false', () => {
      const logger = fakeLogger();
      const ctx = new ResponseCommitContext('ui', request(false), response(), true, logger);
      expect(ctx.cookieVeto({ ...allowAll, cookieOnException: false })).toBe('exception');
      expect(logger.debug).toHaveBeenCalledTimes(1);
    });

    it('should allow the cookie when cookieOnException is true', () => {
      const ctx = new ResponseCommitContext('ui', request(false), response(), true, fakeLogger());
      expect(ctx.cookieVeto(allowAll)).toBeUndefined();
    });
  });

  describe('when allowCookies refuses', () => {
    it('should veto with "not-allowed", passing req and res to the hook', () => {
      const req = request(false);
      const res = response();
      const allowCookies = jest.fn(() => false);
      const ctx = new ResponseCommitContext('ui', req, res, false, fakeLogger());
      expect(ctx.cookieVeto({ ...allowAll, allowCookies })).toBe('not-allowed');
      expect(allowCookies).toHaveBeenCalledWith(req, res);
    });
  });

  describe('when secure is true', () => {
    it('should veto a plain-http request with a warning', () => {
      const logger = fakeLogger();
      const ctx = new ResponseCommitContext('ui', request(false), response(), false, logger);
      expect(ctx.cookieVeto({ ...allowAll, secure: true })).toBe('insecure-request');
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringContaining(
          'Namespace "ui": cookie withheld, secure: true but the request is plain http',
        ),
      );
    });

    it('should allow an https request', () => {
      const ctx = new ResponseCommitContext('ui', request(true), response(), false, fakeLogger());
      expect(ctx.cookieVeto({ ...allowAll, secure: true })).toBeUndefined();
    });
  });

  describe('when setting a cookie', () => {
    it('should append it to Set-Cookie, keeping the application cookies', () => {
      const res = response();
      res.setHeader('Set-Cookie', 'app=1');
      new ResponseCommitContext('ui', request(false), res, false, fakeLogger()).setCookie('ui=v');
      expect(res.getHeader('set-cookie')).toEqual(['app=1', 'ui=v']);
    });

    it('should make sure the response varies on Cookie, even if the handler replaced Vary', () => {
      const res = response();
      res.setHeader('Vary', 'Accept-Language');
      new ResponseCommitContext('ui', request(false), res, false, fakeLogger()).setCookie('ui=v');
      expect(res.getHeader('vary')).toBe('Accept-Language, Cookie');
    });

    it('should mark the response Cache-Control: private, no-store', () => {
      const res = response();
      new ResponseCommitContext('ui', request(false), res, false, fakeLogger()).setCookie('ui=v');
      expect(res.getHeader('cache-control')).toBe('private, no-store');
    });

    it('should keep a Cache-Control the application set', () => {
      const res = response();
      res.setHeader('Cache-Control', 'private, max-age=60');
      new ResponseCommitContext('ui', request(false), res, false, fakeLogger()).setCookie('ui=v');
      expect(res.getHeader('cache-control')).toBe('private, max-age=60');
    });
  });
});
