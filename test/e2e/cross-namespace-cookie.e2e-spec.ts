import { InvalidSessionSignature } from '../../src/session/invalid-session.errors';
import { expectRefusedCookie, startSecurityApp, type SecurityApp } from '../support/security-app';

describe('Session cookies moved to another namespace', () => {
  let sec: SecurityApp;
  let ui: string;
  let cart: string;

  beforeAll(async () => {
    // Both namespaces use the same secret: only the namespace bound into the MAC tells them apart.
    sec = await startSecurityApp();
    ui = await sec.issue('ui');
    cart = await sec.issue('cart');
  });

  afterAll(() => sec.app.close());

  describe('when each cookie is sent under its own name (control)', () => {
    it('should load both sessions', async () => {
      const res = await sec.get('/sessions/both', `ui=${ui}; cart=${cart}`).expect(200);
      expect(res.body).toEqual({
        ui: { isNew: false, data: { user: 'ada', ns: 'ui' } },
        cart: { isNew: false, data: { user: 'ada', ns: 'cart' } },
      });
    });
  });

  describe('when the two cookie values are swapped', () => {
    it('should give both namespaces empty sessions and report each', async () => {
      sec.reasons.length = 0;
      const res = await sec.get('/sessions/both', `ui=${cart}; cart=${ui}`).expect(200);
      expect(res.body).toEqual({
        ui: { isNew: true, data: {} },
        cart: { isNew: true, data: {} },
      });
      expect(sec.reasons.map((r) => [r.constructor, r.namespace])).toEqual([
        [InvalidSessionSignature, 'ui'],
        [InvalidSessionSignature, 'cart'],
      ]);
    });
  });

  describe('when the cart cookie is sent as the ui cookie', () => {
    it('should give an empty new session and report InvalidSessionSignature', async () => {
      await expectRefusedCookie(sec, cart, InvalidSessionSignature, 'ui');
    });
  });

  describe('when the ui cookie is sent as the cart cookie', () => {
    it('should give an empty new session and report InvalidSessionSignature', async () => {
      await expectRefusedCookie(sec, ui, InvalidSessionSignature, 'cart');
    });
  });
});
