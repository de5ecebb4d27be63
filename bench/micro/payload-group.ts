/**
 * Server-side payload encode + decode: what goes into Redis for one session.
 */
import type { MicroGroup } from './harness';
import { mediumSession } from './server-groups';

export function payloadGroup(): MicroGroup {
  const data = mediumSession();
  // express-session stores its Session object (with a cookie object) and connect-redis JSON-encodes it.
  const expressShaped = {
    cookie: { originalMaxAge: null, expires: null, httpOnly: true, path: '/' },
    ...data,
  };
  return {
    title: 'Server payload encode + decode',
    reference: 'connect-redis (JSON of the express-session object)',
    cases: [
      {
        name: 'connect-redis (JSON of the express-session object)',
        fn: () => JSON.parse(JSON.stringify(expressShaped)),
      },
    ],
  };
}
