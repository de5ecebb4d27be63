import { Signer } from '../../src/crypto/signer';
import { SignedCookieSessionFactory } from '../../src/factories/signed-cookie-session.factory';
import { cookieDecoderProperties } from './cookie-decoder-properties';
import { NS, SECRET } from './factory-harness';

const signer = new Signer([Buffer.from(SECRET)], 'sha512', 'nestjs-session-multi.signed.');

describe('SignedCookieSessionFactory load path (fuzz)', () => {
  cookieDecoderProperties({
    label: 'signed cookie',
    signedParts: true,
    build: (log) =>
      new SignedCookieSessionFactory({
        secret: SECRET,
        cookieName: NS,
        onInvalidSession: log.hook,
      }),
    forge: (dataJson) => {
      const now = Math.floor(Date.now() / 1000);
      const payload = Buffer.from(`[${now},${now},${dataJson}]`, 'utf8').toString('base64url');
      return signer.sign(payload, NS);
    },
  });
});
