import { Sealer } from '../../src/crypto/sealer';
import { EncryptedCookieSessionFactory } from '../../src/factories/encrypted-cookie-session.factory';
import { cookieDecoderProperties } from './cookie-decoder-properties';
import { KEY, NS } from './factory-harness';

const sealer = new Sealer([KEY]);

describe('EncryptedCookieSessionFactory load path (fuzz)', () => {
  cookieDecoderProperties({
    label: 'encrypted cookie',
    signedParts: false,
    build: (log) =>
      new EncryptedCookieSessionFactory({ key: KEY, cookieName: NS, onInvalidSession: log.hook }),
    forge: (dataJson) => {
      const now = Math.floor(Date.now() / 1000);
      return sealer.seal(`[${now},${now},${dataJson}]`, NS);
    },
  });
});
