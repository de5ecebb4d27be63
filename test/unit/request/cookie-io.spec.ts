import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import type { SessionRequest } from '../../../src/factories/session-factory.interface';
import { addVaryCookie, appendSetCookie, readCookies } from '../../../src/request/cookie-io';

function request(headers: Record<string, string> = {}): SessionRequest {
  const req = new IncomingMessage(new Socket()) as SessionRequest;
  Object.assign(req.headers, headers);
  return req;
}

function response(): ServerResponse {
  return new ServerResponse(new IncomingMessage(new Socket()));
}

describe('readCookies', () => {
  describe('when cookie-parser already ran', () => {
    it('should use req.cookies as it is', () => {
      const req = request({ cookie: 'ui=from-header' });
      req.cookies = { ui: 'from-parser' };
      expect(readCookies(req)).toBe(req.cookies);
    });
  });

  describe('when only the Cookie header is there', () => {
    it('should parse it (URL-decoding values)', () => {
      expect(readCookies(request({ cookie: 'ui=a.b; cart=x%3Dy; other=1' }))).toEqual({
        ui: 'a.b',
        cart: 'x=y',
        other: '1',
      });
    });
  });

  describe('when there is no Cookie header', () => {
    it('should return an empty object', () => {
      expect(readCookies(request())).toEqual({});
    });
  });
});

describe('appendSetCookie', () => {
  describe('when no cookie is set yet', () => {
    it('should set the header', () => {
      const res = response();
      appendSetCookie(res, 'ui=1; Path=/');
      expect(res.getHeader('set-cookie')).toBe('ui=1; Path=/');
    });
  });

  describe('when the application set one cookie as a string', () => {
    it('should keep it and append ours', () => {
      const res = response();
      res.setHeader('Set-Cookie', 'app=1');
      appendSetCookie(res, 'ui=1');
      expect(res.getHeader('set-cookie')).toEqual(['app=1', 'ui=1']);
    });
  });

  describe('when several cookies are set already', () => {
    it('should append, never replace', () => {
      const res = response();
      res.setHeader('Set-Cookie', ['a=1', 'b=2']);
      appendSetCookie(res, 'ui=1');
      appendSetCookie(res, 'cart=2');
      expect(res.getHeader('set-cookie')).toEqual(['a=1', 'b=2', 'ui=1', 'cart=2']);
    });
  });
});

describe('addVaryCookie', () => {
  describe('when there is no Vary header', () => {
    it.each([[undefined], ['']])('should set "Cookie" (starting from %p)', (initial) => {
      const res = response();
      if (initial !== undefined) {
        res.setHeader('Vary', initial);
      }
      addVaryCookie(res);
      expect(res.getHeader('vary')).toBe('Cookie');
    });
  });

  describe('when Vary names other headers', () => {
    it.each([
      ['Accept-Encoding', 'Accept-Encoding, Cookie'],
      ['Accept, Origin', 'Accept, Origin, Cookie'],
      ['X-Cookie-Thing', 'X-Cookie-Thing, Cookie'],
      ['Cookies', 'Cookies, Cookie'],
    ])('should merge %s into %s', (initial, merged) => {
      const res = response();
      res.setHeader('Vary', initial);
      addVaryCookie(res);
      expect(res.getHeader('vary')).toBe(merged);
    });

    it('should merge an array value', () => {
      const res = response();
      res.setHeader('Vary', ['Accept', 'Origin']);
      addVaryCookie(res);
      expect(res.getHeader('vary')).toBe('Accept, Origin, Cookie');
    });
  });

  describe('when Vary already covers Cookie', () => {
    it.each(['Cookie', 'cookie', 'Accept, Cookie', 'Cookie,Accept', 'Accept ,  COOKIE ', '*'])(
      'should leave %p alone',
      (initial) => {
        const res = response();
        res.setHeader('Vary', initial);
        addVaryCookie(res);
        expect(res.getHeader('vary')).toBe(initial);
      },
    );
  });

  describe('when called twice', () => {
    it('should add Cookie once', () => {
      const res = response();
      addVaryCookie(res);
      addVaryCookie(res);
      expect(res.getHeader('vary')).toBe('Cookie');
    });
  });
});
