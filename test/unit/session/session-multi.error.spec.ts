import {
  SessionMultiError,
  SessionUnsupportedError,
  SessionValueError,
} from '../../../src/session/session-multi.error';
import {
  InvalidSession,
  InvalidSessionSignature,
  InvalidSessionTimeout,
} from '../../../src/session/invalid-session.errors';

describe('SessionMultiError', () => {
  describe('when subclassed', () => {
    it.each([
      ['SessionValueError', new SessionValueError('m')],
      ['SessionUnsupportedError', new SessionUnsupportedError('m')],
    ])('should be named %s and be a SessionMultiError', (name, error) => {
      expect(error.name).toBe(name);
      expect(error).toBeInstanceOf(SessionMultiError);
      expect(error).toBeInstanceOf(Error);
    });
  });

  describe('when given a cause', () => {
    it('should keep it', () => {
      const cause = new Error('root');
      expect(new SessionMultiError('m', { cause }).cause).toBe(cause);
    });
  });
});

describe('InvalidSession', () => {
  describe('when created for a namespace', () => {
    it('should prefix the message with the namespace and keep the reason class', () => {
      const reason = new InvalidSessionTimeout('ui', 'idle too long.');
      expect(reason.message).toBe('Namespace "ui": idle too long.');
      expect(reason.namespace).toBe('ui');
      expect(reason.name).toBe('InvalidSessionTimeout');
      expect(reason).toBeInstanceOf(InvalidSession);
      expect(reason).not.toBeInstanceOf(InvalidSessionSignature);
    });
  });
});
