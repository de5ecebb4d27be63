import {
  InvalidSessionLifetime,
  InvalidSessionTimeout,
} from '../../src/session/invalid-session.errors';
import { decodeSignedCookie } from '../support/signed-cookie';
import { inThePast, nowSeconds } from '../support/fake-clock';
import { cookieValue } from '../support/cookie-jar';
import { expectRefusedCookie, startSecurityApp, type SecurityApp } from '../support/security-app';

describe('Expired session cookies', () => {
  describe('with the default idle timeout (1200 s)', () => {
    let sec: SecurityApp;

    beforeAll(async () => {
      sec = await startSecurityApp();
    });

    afterAll(() => sec.app.close());

    describe('when a cookie captured 1201 s ago is replayed', () => {
      it('should give an empty new session and report InvalidSessionTimeout', async () => {
        const old = await inThePast(1201, () => sec.issue('ui'));
        await expectRefusedCookie(sec, old, InvalidSessionTimeout);
      });

      it('should say how long the session may idle', async () => {
        const old = await inThePast(1300, () => sec.issue('ui'));
        sec.reasons.length = 0;
        await sec.get('/sessions/ui', `ui=${old}`).expect(200);
        expect(sec.reasons[0]!.message).toBe(
          'Namespace "ui": the session was idle for more than 1200 s.',
        );
      });
    });

    describe('when a cookie from 1100 s ago is sent', () => {
      it('should load it and re-issue it with a fresh signed time', async () => {
        const old = await inThePast(1100, () => sec.issue('ui'));
        const res = await sec.get('/sessions/ui', `ui=${old}`).expect(200);
        expect(res.body).toEqual({ isNew: false, data: { user: 'ada', ns: 'ui' } });
        const [renewed, created] = decodeSignedCookie(cookieValue(res, 'ui')) as number[];
        expect(renewed).toBeGreaterThanOrEqual(nowSeconds() - 1);
        expect(created).toBeLessThanOrEqual(nowSeconds() - 1100);
      });
    });
  });

  describe('with a short timeout (60 s)', () => {
    let sec: SecurityApp;

    beforeAll(async () => {
      sec = await startSecurityApp({ timeout: 60 });
    });

    afterAll(() => sec.app.close());

    describe('when the browser keeps re-sending a cookie past the timeout', () => {
      it('should refuse it even though the cookie has no Max-Age', async () => {
        const old = await inThePast(61, () => sec.issue('ui'));
        await expectRefusedCookie(sec, old, InvalidSessionTimeout);
      });
    });
  });

  describe('with maxLifetime (absolute timeout of 3600 s)', () => {
    let sec: SecurityApp;

    beforeAll(async () => {
      sec = await startSecurityApp({ maxLifetime: 3600, reissueTime: 0 });
    });

    afterAll(() => sec.app.close());

    describe('when an active visitor keeps renewing the cookie', () => {
      it('should end the session once it is older than maxLifetime', async () => {
        let cookie = await inThePast(4000, () => sec.issue('ui'));
        // Renewed every 1000 s: never idle past the 1200 s timeout.
        for (const secondsAgo of [3000, 2000, 1000]) {
          cookie = await inThePast(secondsAgo, async () => {
            const res = await sec.get('/sessions/ui', `ui=${cookie}`).expect(200);
            expect(res.body.isNew).toBe(false);
            return cookieValue(res, 'ui');
          });
        }
        const [renewed] = decodeSignedCookie(cookie) as number[];
        expect(nowSeconds() - renewed!).toBeLessThan(1200);
        await expectRefusedCookie(sec, cookie, InvalidSessionLifetime);
      });
    });
  });
});
