import { setCookieFor, setCookies } from '../support/cookie-jar';
import { KINDS, startThreeKindsApp, type ThreeKindsApp } from '../support/three-kinds-app';
import { InvalidSessionSignature } from '../../src/session/invalid-session.errors';

/** What a sibling subdomain (or an attacker on one) plants under the same name. */
const PLANTED = 'planted-by-a-sibling.AAAA';

describe('Duplicate cookie names', () => {
  let t: ThreeKindsApp;

  beforeAll(async () => {
    t = await startThreeKindsApp();
  });

  afterAll(() => t.app.close());

  beforeEach(() => {
    t.reasons.length = 0;
  });

  describe.each(KINDS)('namespace %s', (ns) => {
    describe('when a planted value comes before the genuine one', () => {
      it('should load the genuine session and send no clearing cookie', async () => {
        const genuine = await t.issue(ns);
        const res = await t.read(ns, `${ns}=${PLANTED}; ${ns}=${genuine}`).expect(200);
        expect(res.body).toEqual({ isNew: false, data: { user: `ada-${ns}` } });
        expect(setCookieFor(res, ns)).toBeUndefined();
        expect(t.reasons).toEqual([]);
      });
    });

    describe('when the genuine value comes first', () => {
      it('should load the genuine session and send no clearing cookie', async () => {
        const genuine = await t.issue(ns);
        const res = await t.read(ns, `${ns}=${genuine}; other=1; ${ns}=${PLANTED}`).expect(200);
        expect(res.body).toEqual({ isNew: false, data: { user: `ada-${ns}` } });
        expect(setCookieFor(res, ns)).toBeUndefined();
      });
    });

    describe('when no value is genuine', () => {
      it('should start a new session, report once and clear the cookie', async () => {
        const res = await t.read(ns, `${ns}=${PLANTED}; ${ns}=another.BBBB`).expect(200);
        expect(res.body).toEqual({ isNew: true, data: {} });
        expect(t.reasons).toHaveLength(1);
        expect(t.reasons[0]).toBeInstanceOf(InvalidSessionSignature);
        expect(setCookies(res)).toEqual([
          `${ns}=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax`,
        ]);
      });
    });

    describe('when the genuine value is the fifth of its name', () => {
      it('should not try it (four values at most) and start a new session', async () => {
        const genuine = await t.issue(ns);
        const planted = [1, 2, 3, 4].map((i) => `${ns}=${PLANTED}${i}`).join('; ');
        const res = await t.read(ns, `${planted}; ${ns}=${genuine}`).expect(200);
        expect(res.body).toEqual({ isNew: true, data: {} });
      });
    });
  });
});
