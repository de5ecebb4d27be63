import { withParam } from '../../../../src/factories/transports/query-carrier';

describe('withParam', () => {
  describe('when the URL has no query', () => {
    it('should add the parameter', () => {
      expect(withParam('/cart', 'sid', 'a.b')).toBe('/cart?sid=a.b');
    });
  });

  describe('when the URL has other parameters and an old value', () => {
    it('should keep the others as sent and replace every old value', () => {
      expect(withParam('/cart?sid=old&q=a%20b&sid=older&x', 'sid', 'new')).toBe(
        '/cart?q=a%20b&x&sid=new',
      );
    });
  });

  describe('when the URL has a fragment', () => {
    it('should drop it (a browser never sends one)', () => {
      expect(withParam('/cart?q=1#top', 'sid', 'v')).toBe('/cart?q=1&sid=v');
    });
  });

  describe('when the request target could name another host', () => {
    it.each([
      ['//evil.example/x?a=1', '/evil.example/x?a=1&sid=v'],
      ['///evil.example/x', '/evil.example/x?sid=v'],
      ['/\\evil.example/x', '/evil.example/x?sid=v'],
      ['\\\\evil.example/x', '/evil.example/x?sid=v'],
      ['http://evil.example/x?a=1', '/x?a=1&sid=v'],
      ['*', '/?sid=v'],
    ])('should keep %s on this origin as %s', (url, location) => {
      expect(withParam(url, 'sid', 'v')).toBe(location);
    });
  });
});
