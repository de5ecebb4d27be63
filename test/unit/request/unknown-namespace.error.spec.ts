import { UnknownNamespaceError } from '../../../src/request/unknown-namespace.error';
import { SessionMultiError } from '../../../src/session/session-multi.error';

describe('UnknownNamespaceError', () => {
  describe('when namespaces are registered', () => {
    it('should name the unknown one, list the known ones and give the fix', () => {
      const error = new UnknownNamespaceError('carts', ['auth', 'cart', 'ui']);
      expect(error.message).toBe(
        'Unknown session namespace "carts". Registered namespaces: "auth", "cart", "ui". Register it in SessionMultiModule.forRoot(), forRootAsync() or forFeature().',
      );
      expect(error.namespace).toBe('carts');
      expect(error.name).toBe('UnknownNamespaceError');
      expect(error).toBeInstanceOf(SessionMultiError);
    });
  });

  describe('when nothing is registered', () => {
    it('should say "(none)"', () => {
      expect(new UnknownNamespaceError('x', []).message).toBe(
        'Unknown session namespace "x". Registered namespaces: (none). Register it in SessionMultiModule.forRoot(), forRootAsync() or forFeature().',
      );
    });
  });
});
