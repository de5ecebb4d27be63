import { InvalidSessionSignature } from '../../src/session/invalid-session.errors';
import { expectRefusedCookie, startSecurityApp, type SecurityApp } from '../support/security-app';

describe('Extended session cookies', () => {
  let sec: SecurityApp;
  let genuine: string;

  beforeAll(async () => {
    sec = await startSecurityApp();
    genuine = await sec.issue('ui');
  });

  afterAll(() => sec.app.close());

  describe.each<[string, (v: string) => string]>([
    ['one character is appended to the MAC', (v) => `${v}A`],
    ['base64 padding is appended', (v) => `${v}==`],
    ['a second MAC is appended', (v) => `${v}${v.slice(v.lastIndexOf('.'))}`],
    ['a dot and text are appended', (v) => `${v}.extra`],
    ['text is prepended', (v) => `AAAA${v}`],
  ])('when %s', (_case, extend) => {
    it('should give an empty new session and report InvalidSessionSignature', async () => {
      await expectRefusedCookie(sec, extend(genuine), InvalidSessionSignature);
    });
  });
});
