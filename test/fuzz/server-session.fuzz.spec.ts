import { generateSessionId } from '../../src/crypto/session-id';
import { Signer } from '../../src/crypto/signer';
import { ServerSessionFactory } from '../../src/factories/server-session.factory';
import { MemoryStore } from '../../src/stores/memory.store';
import { storeKey } from '../../src/stores/store-key';
import { cookieDecoderProperties } from './cookie-decoder-properties';
import { NS, SECRET } from './factory-harness';

const signer = new Signer([Buffer.from(SECRET)], 'sha512', 'nestjs-session-multi.server.');
// The LRU bound (10,000 entries) keeps 100,000 round trips from piling up.
const store = new MemoryStore({ sweepInterval: 0 });

describe('ServerSessionFactory id cookie load path (fuzz)', () => {
  cookieDecoderProperties({
    label: 'server id cookie',
    signedParts: true,
    build: (log) =>
      new ServerSessionFactory({
        secret: SECRET,
        cookieName: NS,
        store,
        onInvalidSession: log.hook,
      }),
    forge: async (dataJson) => {
      const id = generateSessionId();
      const now = Math.floor(Date.now() / 1000);
      await store.set(storeKey(id), `{"m":${dataJson},"c":${now},"v":1}`, { ttl: 1200 });
      return signer.sign(id, NS);
    },
  });
});
