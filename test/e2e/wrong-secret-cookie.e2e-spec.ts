import { InvalidSessionSignature } from '../../src/session/invalid-session.errors';
import { SECRET_B } from '../support/create-test-app';
import { expectRefusedCookie, startSecurityApp, type SecurityApp } from '../support/security-app';
import { mintSignedCookie } from '../support/signed-cookie';

describe('Session cookies signed with a wrong secret', () => {
  let sec: SecurityApp;
  let other: SecurityApp;

  beforeAll(async () => {
    sec = await startSecurityApp();
    other = await startSecurityApp({ secret: SECRET_B });
  });

  afterAll(async () => {
    await sec.app.close();
    await other.app.close();
  });

  describe('when the cookie was issued by an app with another secret', () => {
    it('should give an empty new session and report InvalidSessionSignature', async () => {
      await expectRefusedCookie(sec, await other.issue('ui'), InvalidSessionSignature);
    });
  });

  describe('when the cookie was forged with a guessed secret', () => {
    it('should give an empty new session and report InvalidSessionSignature', async () => {
      const forged = mintSignedCookie({
        secret: 'guessed-secret-guessed-secret-guessed-secret',
        namespace: 'ui',
        data: { user: 'admin' },
      });
      await expectRefusedCookie(sec, forged, InvalidSessionSignature);
    });
  });

  describe('when the secret is right but the salt differs', () => {
    it('should give an empty new session and report InvalidSessionSignature', async () => {
      const salted = await startSecurityApp({ salt: 'another-app.' });
      try {
        await expectRefusedCookie(sec, await salted.issue('ui'), InvalidSessionSignature);
      } finally {
        await salted.app.close();
      }
    });
  });
});
