import { InvalidSessionSignature } from '../../src/session/invalid-session.errors';
import { cookieValue, setCookieFor } from '../support/cookie-jar';
import { SECRET_A, SECRET_B } from '../support/create-test-app';
import { expectRefusedCookie, startSecurityApp, type SecurityApp } from '../support/security-app';

const OLD = SECRET_A;
const NEW = SECRET_B;

describe('Secret rotation', () => {
  let oldApp: SecurityApp;
  let rotating: SecurityApp;
  let newOnly: SecurityApp;

  beforeAll(async () => {
    oldApp = await startSecurityApp({ secret: OLD });
    // reissueTime: null, so only the rotation can cause a re-issue on a read.
    rotating = await startSecurityApp({ secret: [NEW, OLD], reissueTime: null });
    newOnly = await startSecurityApp({ secret: NEW });
  });

  afterAll(async () => {
    await oldApp.app.close();
    await rotating.app.close();
    await newOnly.app.close();
  });

  describe('when a cookie signed with the old secret arrives', () => {
    it('should accept it and re-issue it under the new secret on the same response', async () => {
      const old = await oldApp.issue('ui');
      const res = await rotating.get('/sessions/ui', `ui=${old}`).expect(200);
      expect(res.body).toEqual({ isNew: false, data: { user: 'ada', ns: 'ui' } });
      expect(setCookieFor(res, 'ui')).toBeDefined();
      const reissued = cookieValue(res, 'ui');
      expect(reissued).not.toBe(old);

      const afterRotation = await newOnly.get('/sessions/ui', `ui=${reissued}`).expect(200);
      expect(afterRotation.body).toEqual({ isNew: false, data: { user: 'ada', ns: 'ui' } });
    });

    it('should not be accepted once the old secret is removed', async () => {
      await expectRefusedCookie(newOnly, await oldApp.issue('ui'), InvalidSessionSignature);
    });
  });

  describe('when a cookie signed with the new secret arrives', () => {
    it('should be read without a re-issue', async () => {
      const fresh = await newOnly.issue('ui');
      const res = await rotating.get('/sessions/ui', `ui=${fresh}`).expect(200);
      expect(res.body.isNew).toBe(false);
      expect(setCookieFor(res, 'ui')).toBeUndefined();
    });
  });

  describe('when the rotating app issues a cookie', () => {
    it('should sign it with the first secret only', async () => {
      const issued = await rotating.issue('ui');
      expect((await newOnly.get('/sessions/ui', `ui=${issued}`).expect(200)).body.isNew).toBe(
        false,
      );
      await expectRefusedCookie(oldApp, issued, InvalidSessionSignature);
    });
  });
});
