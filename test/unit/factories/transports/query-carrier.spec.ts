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
});
