/**
 * Server-side payload encode + decode (what goes into Redis for one session), and the store key
 * derived from a session id.
 */
import { createHash } from 'node:crypto';
import { generateSessionId } from '../../src/index';
import { JSON_SERIALIZER } from '../../src/session/serializer';
import { storeKey } from '../../src/stores/store-key';
import { decodePayload, encodePayload, PAYLOAD_VERSION } from '../../src/stores/payload-serializer';
import type { MicroGroup } from './harness';
import { mediumSession } from './server-groups';

export function payloadGroup(): MicroGroup {
  const data = mediumSession();
  const now = Math.floor(Date.now() / 1000);
  // express-session stores its Session object (with a cookie object); connect-redis JSON-encodes it.
  const expressShaped = {
    cookie: { originalMaxAge: null, expires: null, httpOnly: true, path: '/' },
    ...data,
  };
  return {
    title: 'Server payload encode + decode (~700-byte session)',
    reference: 'connect-redis (JSON of the express-session object)',
    note: "Ours writes pyramid_session_redis's { m, c, v, x } payload and checks its shape on the way back.",
    cases: [
      {
        name: 'connect-redis (JSON of the express-session object)',
        fn: () => JSON.parse(JSON.stringify(expressShaped)),
      },
      {
        name: 'ours encodePayload + decodePayload',
        fn: () =>
          decodePayload(
            encodePayload({ m: data, c: now, v: PAYLOAD_VERSION, x: now + 1200 }, JSON_SERIALIZER),
            JSON_SERIALIZER,
          ),
      },
    ],
  };
}

export function storeKeyGroup(): MicroGroup {
  const id = generateSessionId();
  return {
    title: 'Store key (SHA-256 of the id, base64url)',
    reference: 'ours storeKey (crypto.hash)',
    note: 'Every server-side request hashes its id once. storeKey uses the one-shot crypto.hash() (Node 20.12+); a Hash object per call is shown for scale.',
    cases: [
      { name: 'ours storeKey (crypto.hash)', fn: () => storeKey(id) },
      {
        name: 'createHash().update().digest(), for scale',
        fn: () => createHash('sha256').update(id).digest('base64url'),
      },
    ],
  };
}
