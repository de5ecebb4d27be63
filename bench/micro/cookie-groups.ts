/**
 * Micro-benchmark groups for the cookie hot paths: sign + verify, the whole signed-cookie round
 * trip, and the peers doing the same job (cookie-signature, cookie-session's keygrip, iron-session).
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { sign as csSign, unsign as csUnsign } from 'cookie-signature';
import { sealData, unsealData } from 'iron-session';
import {
  EncryptedCookieSessionFactory,
  SignedCookieSessionFactory,
  type NamespacedSession,
  type SessionFactory,
  type CommitContext,
  type SessionRequest,
} from '../../src/index';
import { Signer } from '../../src/crypto/signer';
import { BENCH_SECRET } from '../support/variants';
import type { MicroGroup } from './harness';

/** The salt SignedCookieSessionFactory keys its HMAC with by default. */
const FACTORY_SALT = 'nestjs-session-multi.signed.';
const NS = 'ui';

/** A typical small cookie session. */
export const SMALL_SESSION = {
  counter: 42,
  user: 'user-1234',
  roles: ['admin', 'editor'],
  _csrft_: 'a3f1c9e2b7d4a6f8c0e1d2b3a4f5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3',
};

const now = Math.floor(Date.now() / 1000);
const payload = Buffer.from(JSON.stringify([now, now, SMALL_SESSION]), 'utf8').toString(
  'base64url',
);

/** cookie-session's HMAC (keygrip), resolved through cookie-session's own dependencies. */
function loadKeygrip(): (keys: string[]) => {
  sign(data: string): string;
  verify(data: string, digest: string): boolean;
} {
  const fromCookieSession = createRequire(require.resolve('cookie-session'));
  const fromCookies = createRequire(fromCookieSession.resolve('cookies'));
  return fromCookies('keygrip');
}

function signVerify(signer: Signer): () => unknown {
  return () => signer.unsign(signer.sign(payload, NS), NS);
}

export function signGroup(): MicroGroup {
  const secret = [Buffer.from(BENCH_SECRET)];
  // The cache of verified values is off in the rows that compare HMAC work with cookie-signature,
  // which has none: with it on, every verify below would be of a value seen before.
  const uncached = { verifiedCacheSize: 0 };
  const sha256 = new Signer(secret, 'sha256', FACTORY_SALT, uncached);
  const sha512 = new Signer(secret, 'sha512', FACTORY_SALT, uncached);
  const sha512Cached = new Signer(secret, 'sha512', FACTORY_SALT);
  return {
    title: 'Cookie sign + verify',
    reference: 'cookie-signature (HMAC-SHA256)',
    note: 'One sign and one verify of a small session payload (about 150 characters), same 48-byte secret. Our rows verify with the cache of verified values off (a full HMAC each time), except the last, where the verify is of a value seen before, as on a returning cookie.',
    cases: [
      {
        name: 'cookie-signature (HMAC-SHA256)',
        fn: () => csUnsign(csSign(payload, BENCH_SECRET), BENCH_SECRET),
      },
      { name: 'ours Signer, HMAC-SHA256', fn: signVerify(sha256) },
      { name: 'ours Signer, HMAC-SHA512 (factory default)', fn: signVerify(sha512) },
      {
        name: 'ours Signer, HMAC-SHA512, verify of a value seen before (default cache)',
        fn: signVerify(sha512Cached),
      },
    ],
  };
}

/** A commit context that accepts every cookie and keeps the last one. */
class CapturingContext implements CommitContext {
  readonly namespace = NS;
  readonly req = { headers: {}, socket: {} } as unknown as SessionRequest;
  readonly res = {
    headersSent: false,
    getHeader: () => undefined,
  } as unknown as CommitContext['res'];
  readonly exception = false;
  cookie = '';
  cookieVeto(): undefined {
    return undefined;
  }
  setCookie(serialized: string): void {
    this.cookie = serialized;
  }
}

/** Load + write-back through the real factory, as a request that changes one value does. */
function factoryRoundTrip(factory: SessionFactory): () => unknown {
  const ctx = new CapturingContext();
  const seed = factory.load({ namespace: NS, req: ctx.req, cookies: {} }) as NamespacedSession;
  seed.set('counter', 1);
  for (const [k, v] of Object.entries(SMALL_SESSION)) {
    seed.set(k, v);
  }
  void factory.commit(seed, ctx);
  const valueOf = (cookie: string): string =>
    cookie.slice(cookie.indexOf('=') + 1, cookie.indexOf(';'));
  let value = valueOf(ctx.cookie);
  let counter = 0;
  // Each load reads the cookie the previous commit wrote, as the browser sends it back: a value
  // the factory has not seen, so the signer's cache of verified values never answers here.
  return () => {
    const session = factory.load({
      namespace: NS,
      req: ctx.req,
      cookies: { ui: value },
    }) as NamespacedSession;
    session.set('counter', ++counter);
    void factory.commit(session, ctx);
    value = valueOf(ctx.cookie);
    return ctx.cookie;
  };
}

export function cookieRoundTripGroup(): MicroGroup {
  const keygrip = loadKeygrip()([BENCH_SECRET]);
  const ironPassword = BENCH_SECRET.padEnd(32, 'x');
  const factory = new SignedCookieSessionFactory({ secret: BENCH_SECRET, cookieName: NS });
  // Cache off: the row encodes the same session every time, and a real write changes the value.
  const signer = new Signer([Buffer.from(BENCH_SECRET)], 'sha512', FACTORY_SALT, {
    verifiedCacheSize: 0,
  });
  return {
    title: 'Cookie payload encode + decode',
    reference: 'iron-session sealData + unsealData',
    note: 'Encode the small session into a cookie value and decode it back. iron-session encrypts (AES-256-CBC + HMAC-SHA256 through WebCrypto, async): compare it with EncryptedCookieSessionFactory; the signed rows only sign. The factory rows run the real load() and commit() (a changed value is written back).',
    cases: [
      {
        name: 'iron-session sealData + unsealData',
        fn: async () =>
          unsealData(await sealData(SMALL_SESSION, { password: ironPassword }), {
            password: ironPassword,
          }),
      },
      {
        name: 'cookie-session codec (base64 JSON + keygrip HMAC-SHA1)',
        fn: () => {
          const value = Buffer.from(JSON.stringify(SMALL_SESSION)).toString('base64');
          const sig = keygrip.sign(`session=${value}`);
          return keygrip.verify(`session=${value}`, sig)
            ? JSON.parse(Buffer.from(value, 'base64').toString('utf8'))
            : undefined;
        },
      },
      {
        name: 'ours: JSON + base64url + Signer (SHA-512)',
        fn: () => {
          const value = signer.sign(
            Buffer.from(JSON.stringify([now, now, SMALL_SESSION]), 'utf8').toString('base64url'),
            NS,
          );
          const u = signer.unsign(value, NS)!;
          return JSON.parse(Buffer.from(u.payload, 'base64url').toString('utf8'));
        },
      },
      { name: 'ours: SignedCookieSessionFactory load + commit', fn: factoryRoundTrip(factory) },
      {
        name: 'ours: EncryptedCookieSessionFactory load + commit (AES-256-GCM)',
        fn: factoryRoundTrip(
          new EncryptedCookieSessionFactory({ key: randomBytes(32), cookieName: NS }),
        ),
      },
    ],
  };
}
