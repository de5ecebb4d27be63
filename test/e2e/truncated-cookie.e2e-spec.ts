import { InvalidSessionSignature } from '../../src/session/invalid-session.errors';
import { expectRefusedCookie, startSecurityApp, type SecurityApp } from '../support/security-app';

describe('Truncated session cookies', () => {
  let sec: SecurityApp;
  let genuine: string;

  beforeAll(async () => {
    sec = await startSecurityApp();
    genuine = await sec.issue('ui');
  });

  afterAll(() => sec.app.close());

  describe.each<[string, (v: string) => string]>([
    ['the last MAC character is cut', (v) => v.slice(0, -1)],
    ['half of the MAC is cut', (v) => v.slice(0, v.lastIndexOf('.') + 43)],
    ['the whole MAC is cut, keeping the dot', (v) => v.slice(0, v.lastIndexOf('.') + 1)],
    ['the MAC and the dot are cut', (v) => v.slice(0, v.lastIndexOf('.'))],
    ['only the MAC is left', (v) => v.slice(v.lastIndexOf('.') + 1)],
    ['the payload is cut short', (v) => v.slice(5)],
  ])('when %s', (_case, cut) => {
    it('should give an empty new session and report InvalidSessionSignature', async () => {
      await expectRefusedCookie(sec, cut(genuine), InvalidSessionSignature);
    });
  });
});
