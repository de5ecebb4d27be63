import { InvalidSessionSignature } from '../../src/session/invalid-session.errors';
import { SECRET_A } from '../support/create-test-app';
import { mintSignedCookie } from '../support/signed-cookie';
import { expectRefusedCookie, startSecurityApp, type SecurityApp } from '../support/security-app';

/** Replaces the character at `index` with another base64url character. */
function flipAt(value: string, index: number): string {
  const i = index < 0 ? value.length + index : index;
  const replacement = value[i] === 'A' ? 'B' : 'A';
  return value.slice(0, i) + replacement + value.slice(i + 1);
}

describe('Tampered session cookies', () => {
  let sec: SecurityApp;
  let genuine: string;

  beforeAll(async () => {
    sec = await startSecurityApp();
    genuine = await sec.issue('ui');
  });

  afterAll(() => sec.app.close());

  describe('when the genuine cookie is sent back (control)', () => {
    it('should load the session', async () => {
      const res = await sec.get('/sessions/ui', `ui=${genuine}`).expect(200);
      expect(res.body).toEqual({ isNew: false, data: { user: 'ada', ns: 'ui' } });
      expect(sec.reasons).toEqual([]);
    });
  });

  describe('when one character of the payload is changed', () => {
    it('should give an empty new session and report InvalidSessionSignature', async () => {
      await expectRefusedCookie(sec, flipAt(genuine, 3), InvalidSessionSignature);
    });
  });

  describe('when one character of the MAC is changed', () => {
    it('should give an empty new session and report InvalidSessionSignature', async () => {
      await expectRefusedCookie(sec, flipAt(genuine, -5), InvalidSessionSignature);
    });
  });

  describe('when the payload is rewritten to claim another user, keeping the MAC', () => {
    it('should give an empty new session and report InvalidSessionSignature', async () => {
      const dot = genuine.lastIndexOf('.');
      const payload = JSON.parse(Buffer.from(genuine.slice(0, dot), 'base64url').toString()) as [
        number,
        number,
        Record<string, unknown>,
      ];
      payload[2]['user'] = 'admin';
      const forged = `${Buffer.from(JSON.stringify(payload)).toString('base64url')}${genuine.slice(dot)}`;
      await expectRefusedCookie(sec, forged, InvalidSessionSignature);
    });
  });

  describe('when the MAC of another genuine cookie is moved onto this payload', () => {
    it('should give an empty new session and report InvalidSessionSignature', async () => {
      const other = mintSignedCookie({ secret: SECRET_A, namespace: 'ui', data: { user: 'eve' } });
      const res = await sec.get('/sessions/ui', `ui=${other}`).expect(200);
      expect(res.body.data).toEqual({ user: 'eve' }); // the donor cookie itself is valid
      const spliced =
        genuine.slice(0, genuine.lastIndexOf('.')) + other.slice(other.lastIndexOf('.'));
      await expectRefusedCookie(sec, spliced, InvalidSessionSignature);
    });
  });
});
