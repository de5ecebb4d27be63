import { jest } from '@jest/globals';
import { SignedCookieSessionFactory } from '../../../src/factories/signed-cookie-session.factory';
import { InvalidSessionSignature } from '../../../src/session/invalid-session.errors';
import { SECRET_A } from '../../support/create-test-app';
import { loadContext, RecordingCommitContext } from '../../support/factory-context';

describe('CookieSessionFactory#inspect', () => {
  const onInvalidSession = jest.fn();
  const debug = jest.fn();
  const factory = new SignedCookieSessionFactory({
    secret: SECRET_A,
    cookieName: 'ui',
    onInvalidSession,
    logger: { debug, warn: jest.fn(), error: jest.fn() },
  });

  function issued(): string {
    const session = factory.load(loadContext('ui'));
    session.set('theme', 'dark');
    const ctx = new RecordingCommitContext('ui');
    factory.commit(session, ctx);
    return ctx.value();
  }

  describe('when the cookie is valid', () => {
    it('should return its data and build no session', () => {
      const reading = factory.inspect(loadContext('ui', { ui: issued() }));
      expect(reading).toMatchObject({ kind: 'valid', data: { theme: 'dark' } });
    });
  });

  describe('when the cookie is tampered', () => {
    it('should give the reason without logging or calling onInvalidSession', () => {
      const reading = factory.inspect(loadContext('ui', { ui: `${issued()}x` }));
      expect(reading.kind).toBe('invalid');
      expect(reading.kind === 'invalid' && reading.reason).toBeInstanceOf(InvalidSessionSignature);
      expect(onInvalidSession).not.toHaveBeenCalled();
      expect(debug).not.toHaveBeenCalled();
    });
  });

  describe('when there is no cookie', () => {
    it('should say it is absent', () => {
      expect(factory.inspect(loadContext('ui'))).toEqual({ kind: 'absent' });
    });
  });
});
