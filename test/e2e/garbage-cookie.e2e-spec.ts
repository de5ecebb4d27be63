import {
  InvalidSessionDeserialization,
  InvalidSessionSignature,
} from '../../src/session/invalid-session.errors';
import { SECRET_A } from '../support/create-test-app';
import { expectRefusedCookie, startSecurityApp, type SecurityApp } from '../support/security-app';
import { DEFAULT_SIGNED_SALT, mintSignedCookie } from '../support/signed-cookie';
import { Signer } from '../../src/crypto/signer';

describe('Garbage session cookies', () => {
  let sec: SecurityApp;

  beforeAll(async () => {
    sec = await startSecurityApp();
  });

  afterAll(() => sec.app.close());

  describe.each([
    ['a short word', 'hello'],
    ['a lone dot', '.'],
    ['dots only', '...'],
    ['percent signs', '%%%25'],
    ['random base64', Buffer.from('random bytes here!').toString('base64')],
    ['JSON', encodeURIComponent('{"user":"admin"}')],
    ['a JWT-looking value', 'eyJhbGciOiJub25lIn0.eyJ1c2VyIjoiYWRtaW4ifQ.'],
    ['a quoted value', '"abc.def"'],
    ['non-ASCII text', encodeURIComponent('séssion.ünïcode')],
  ])('when the cookie is %s', (_case, value) => {
    it('should give an empty new session and report InvalidSessionSignature', async () => {
      await expectRefusedCookie(sec, value, InvalidSessionSignature);
    });
  });

  describe.each([
    ['signed text that is not JSON', '{not json'],
    ['a signed JSON object instead of [renewed, created, data]', '{"user":"admin"}'],
    ['a signed tuple with a string time', '["1",2,{}]'],
    ['a signed tuple whose data is a list', `[${Date.now() / 1000},1,["a"]]`],
    ['a signed tuple of the wrong length', '[1,2,{},4]'],
    ['a signed null', 'null'],
  ])('when the cookie is %s', (_case, rawPayload) => {
    it('should give an empty new session and report InvalidSessionDeserialization', async () => {
      const cookie = mintSignedCookie({ secret: SECRET_A, namespace: 'ui', rawPayload });
      await expectRefusedCookie(sec, cookie, InvalidSessionDeserialization);
    });
  });

  describe('when a signed payload is not base64url at all', () => {
    it('should give an empty new session and report InvalidSessionSignature', async () => {
      // The strict decoder refuses the text before decoding it: the factory never wrote it.
      const signer = new Signer([Buffer.from(SECRET_A)], 'sha512', DEFAULT_SIGNED_SALT);
      const cookie = signer.sign("!*'()~not-base64", 'ui');
      await expectRefusedCookie(sec, cookie, InvalidSessionSignature);
    });
  });
});
