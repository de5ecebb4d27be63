import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { NamespaceTrace } from '../../../src/debug/namespace-trace';
import { namespaceBase } from '../../../src/debug/namespace-view';
import { DEFAULT_REDACT_KEYS } from '../../../src/debug/debug-options';
import { SignedCookieSessionFactory } from '../../../src/factories/signed-cookie-session.factory';
import { SessionConflictError } from '../../../src/factories/session-conflict.error';
import { appendSetCookie } from '../../../src/request/cookie-io';
import { SECRET_A } from '../../support/create-test-app';
import { loadContext } from '../../support/factory-context';

describe('NamespaceTrace', () => {
  const factory = new SignedCookieSessionFactory({ secret: SECRET_A, cookieName: 'ui' });

  function traced() {
    const session = factory.load(loadContext('ui'));
    const trace = new NamespaceTrace(session, factory, DEFAULT_REDACT_KEYS);
    const res = new ServerResponse(new IncomingMessage(new Socket()));
    const record = () =>
      trace.record(namespaceBase('ui', factory, false, undefined), loadContext('ui'));
    return { session, trace, res, record };
  }

  describe('when the commit returns synchronously', () => {
    it('should return what it returned and note the cookie write', () => {
      const { session, trace, res, record } = traced();
      session.set('theme', 'dark');
      session.set('authToken', 'secret-value');
      const result = trace.commit(res, () => appendSetCookie(res, 'ui=abc; Path=/'));
      expect(result).toBeUndefined();
      expect(record()).toMatchObject({
        commit: ['wrote'],
        added: ['theme', 'authToken'],
        after: { theme: 'dark', authToken: '[redacted]' },
      });
      expect(JSON.stringify(record())).not.toContain('secret-value');
    });
  });

  describe('when the commit throws a conflict', () => {
    it('should rethrow the same error and note the conflict', () => {
      const { trace, res, record } = traced();
      const error = new SessionConflictError('ui', 'changed', ['theme']);
      expect(() =>
        trace.commit(res, () => {
          throw error;
        }),
      ).toThrow(error);
      expect(record().commit).toEqual(['conflict']);
    });
  });

  describe('when the commit rejects', () => {
    it('should reject with the same error and note the failure', async () => {
      const { trace, res, record } = traced();
      const error = new Error('store down');
      await expect(trace.commit(res, () => Promise.reject(error))).rejects.toBe(error);
      expect(record().commit).toEqual(['failed']);
    });
  });

  describe('when the commit clears the cookie', () => {
    it('should note the clearing', async () => {
      const { trace, res, record } = traced();
      await trace.commit(res, () =>
        Promise.resolve().then(() => appendSetCookie(res, 'ui=; Max-Age=0; Path=/')),
      );
      expect(record().commit).toEqual(['cleared']);
    });
  });
});
