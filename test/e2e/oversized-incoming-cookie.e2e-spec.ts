import { InvalidSessionSignature } from '../../src/session/invalid-session.errors';
import { expectRefusedCookie, startSecurityApp, type SecurityApp } from '../support/security-app';

describe('Oversized incoming session cookies', () => {
  let sec: SecurityApp;
  let genuine: string;

  beforeAll(async () => {
    sec = await startSecurityApp();
    genuine = await sec.issue('ui');
  });

  afterAll(() => sec.app.close());

  describe('when the cookie is far larger than any cookie the server issues', () => {
    it('should give an empty new session and report InvalidSessionSignature', async () => {
      await expectRefusedCookie(sec, 'A'.repeat(9000), InvalidSessionSignature);
    });
  });

  describe('when a genuine cookie is padded to 9000 characters', () => {
    it('should give an empty new session and report InvalidSessionSignature', async () => {
      const padded = `${'A'.repeat(9000 - genuine.length)}${genuine}`;
      await expectRefusedCookie(sec, padded, InvalidSessionSignature);
    });
  });

  describe('when the Cookie header exceeds what Node accepts', () => {
    it('should be refused by the HTTP server (431), not by a crash', async () => {
      await sec.get('/sessions/ui', `ui=${'A'.repeat(20000)}`).expect(431);
    });
  });
});
