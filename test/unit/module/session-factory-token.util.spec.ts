import { getSessionFactoryToken } from '../../../src/module/session-factory-token.util';

describe('getSessionFactoryToken', () => {
  describe('when given a namespace', () => {
    it('should return the string token "SessionMultiFactory(<ns>)"', () => {
      expect(getSessionFactoryToken('cart')).toBe('SessionMultiFactory(cart)');
    });

    it('should give different namespaces different tokens', () => {
      expect(getSessionFactoryToken('a')).not.toBe(getSessionFactoryToken('b'));
    });
  });
});
