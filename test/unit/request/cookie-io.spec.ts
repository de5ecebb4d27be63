import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { parse } from 'cookie';
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
  describe('when cookie-parser already ran and the Cookie header is there', () => {
    it('should read the header, not req.cookies', () => {
      const req = request({ cookie: 'ui=from-header' });
      req.cookies = { ui: 'from-parser' };
      expect(readCookies(req).first).toEqual({ ui: 'from-header' });
    });

    it('should never hand on the objects cookie-parser made of j: values', () => {
      const req = request({ cookie: 'ui=j%3A%7B%22length%22%3A1%7D' });
      (req as { cookies: unknown }).cookies = { ui: { length: 1 } };
      expect(readCookies(req).values('ui')).toEqual(['j:{"length":1}']);
    });
  });

  describe('when only the Cookie header is there', () => {
    it('should parse it (URL-decoding values)', () => {
      expect(readCookies(request({ cookie: 'ui=a.b; cart=x%3Dy; other=1' })).first).toEqual({
        ui: 'a.b',
        cart: 'x=y',
        other: '1',
      });
    });

    it('should parse like the cookie package: trimmed, malformed escapes kept, pairs without "=" skipped', () => {
      const header = ' ui = a.b ;junk; \tcart=%E0%A4%A; q="x"';
      expect({ ...readCookies(request({ cookie: header })).first }).toEqual({
        ...parse(header),
      });
    });
  });

  describe('when a name repeats', () => {
    it('should keep every value in header order, the first as the cookies record', () => {
      const jar = readCookies(request({ cookie: 'ui=planted; cart=1; ui=mine' }));
      expect(jar.values('ui')).toEqual(['planted', 'mine']);
      expect(jar.first.ui).toBe('planted');
    });

    it('should keep at most four values of one name', () => {
      const jar = readCookies(request({ cookie: 'ui=1; ui=2; ui=3; ui=4; ui=5; ui=6' }));
      expect(jar.values('ui')).toEqual(['1', '2', '3', '4']);
    });
  });

  describe('when there is no Cookie header but something filled req.cookies', () => {
    it('should hand on its values as they are, and list only strings in the cookies record', () => {
      const req = request();
      (req as { cookies: unknown }).cookies = { ui: { length: 1 }, cart: 'abc' };
      const jar = readCookies(req);
      expect(jar.values('ui')).toEqual([{ length: 1 }]);
      expect(jar.first).toEqual({ cart: 'abc' });
    });
  });

  describe('when there is no Cookie header', () => {
    it('should find nothing', () => {
      const jar = readCookies(request());
      expect(jar.first).toEqual({});
      expect(jar.values('ui')).toEqual([]);
    });
  });

  describe('#loadContext', () => {
    it('should give a LoadContext whose cookieValues reads the jar', () => {
      const req = request({ cookie: 'ui=1; ui=2' });
      const ctx = readCookies(req).loadContext('ui', req);
      expect(ctx.namespace).toBe('ui');
      expect(ctx.req).toBe(req);
      expect({ ...ctx.cookies }).toEqual({ ui: '1' });
      expect(ctx.cookieValues?.('ui')).toEqual(['1', '2']);
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
