import fc from 'fast-check';
import { decodeBase64url } from '../../src/crypto/base64url';
import type { SessionFactory } from '../../src/factories/session-factory.interface';
import { SessionCookieTooLargeError } from '../../src/factories/session-cookie-too-large.error';
import { InvalidSessionSignature } from '../../src/session/invalid-session.errors';
import type { NamespacedSession } from '../../src/session/session';
import {
  hostileCookie,
  jsonText,
  mutate,
  mutations,
  pollutingObject,
  prototypesUntouched,
  sessionData,
} from './cookie-arbitraries';
import {
  headerValue,
  holds,
  isFreshEmpty,
  issueCookie,
  loadCookie,
  loadCookieHeader,
  ReasonLog,
} from './factory-harness';
import { checkProperty, FUZZ_TIMEOUT_MS } from './fuzz-config';

export interface CookieDecoderUnderTest {
  /** Label in the summary lines. */
  label: string;
  build(log: ReasonLog): SessionFactory;
  /**
   * A cookie the factory accepts for `dataJson` (object text, possibly with `__proto__` keys),
   * made with the factory's own keys: what a key holder, or data the app stored, could produce.
   */
  forge(dataJson: string): string | Promise<string>;
  /** Whether the cookie is `<payload>.<mac>` with both parts base64url (checked strictly). */
  signedParts: boolean;
}

/** Data of the valid cookies that the mutation properties start from. */
const POOL_DATA: Record<string, unknown>[] = [
  { user: 'ada', roles: ['admin'], n: 1 },
  { cart: [{ sku: 'x-1', qty: 2 }], note: 'caf\u00e9 \u{1F600}' },
  { big: 'A'.repeat(300), flag: true, nothing: null },
];

/** A loaded session settles to a session: a throw or a rejection is a failure. */
async function settle(
  load: () => NamespacedSession | Promise<NamespacedSession>,
): Promise<NamespacedSession> {
  return await load();
}

/**
 * The four properties every cookie decoder must keep: no throw escapes the load path, only
 * values the library produced are accepted, no prototype is polluted, and a round trip is exact.
 */
export function cookieDecoderProperties(subject: CookieDecoderUnderTest): void {
  const log = new ReasonLog();
  const factory = subject.build(log);
  let pool: { cookie: string; data: Record<string, unknown> }[];

  beforeAll(async () => {
    factory.validate?.('ui');
    pool = [];
    for (const data of POOL_DATA) {
      pool.push({ cookie: await issueCookie(factory, data), data });
    }
  });

  afterAll(async () => {
    await factory.close?.();
  });

  /** A valid cookie from the pool, mutated one to three times. */
  const mutatedCookie = fc
    .tuple(fc.nat({ max: POOL_DATA.length - 1 }), mutations)
    .map(([i, ms]) => ({ index: i, value: ms.reduce(mutate, pool[i]!.cookie) }));

  describe('when the cookie is any string a client can send', () => {
    it(
      'should give a session and never throw, new unless the value is one the factory issued',
      async () => {
        await checkProperty(
          `${subject.label}: no throw escapes load for any cookie string`,
          fc.asyncProperty(
            fc.oneof(
              hostileCookie,
              mutatedCookie.map((m) => m.value),
            ),
            fc.boolean(),
            async (value, viaHeader) => {
              const session = await settle(() =>
                viaHeader ? loadCookieHeader(factory, value) : loadCookie(factory, value),
              );
              log.take();
              const sent = viaHeader ? headerValue(value) : value;
              const issued = pool.find((p) => p.cookie === sent);
              return issued === undefined ? isFreshEmpty(session) : holds(session, issued.data);
            },
          ),
        );
      },
      FUZZ_TIMEOUT_MS,
    );
  });

  describe('when a valid cookie is mutated', () => {
    it(
      'should refuse every changed value as a bad signature, and no changed text decodes to the same bytes',
      async () => {
        await checkProperty(
          `${subject.label}: a mutated cookie is never accepted`,
          fc.asyncProperty(mutatedCookie, async ({ index, value }) => {
            const original = pool[index]!;
            const session = await settle(() => loadCookie(factory, value));
            const reasons = log.take();
            if (value === original.cookie) {
              return holds(session, original.data) && reasons.length === 0;
            }
            if (value === '') {
              // No cookie at all: a new session, reported only with reportMissingCookie.
              return isFreshEmpty(session) && reasons.length === 0;
            }
            return (
              isFreshEmpty(session) &&
              reasons.length === 1 &&
              reasons[0] instanceof InvalidSessionSignature &&
              (!subject.signedParts || noLaxTwin(original.cookie, value))
            );
          }),
        );
      },
      FUZZ_TIMEOUT_MS,
    );
  });

  describe('when a cookie the factory accepts carries __proto__, constructor or prototype keys', () => {
    it(
      'should leave every shared prototype untouched, whatever the session is asked',
      async () => {
        await checkProperty(
          `${subject.label}: no prototype is polluted`,
          fc.asyncProperty(pollutingObject, async (node) => {
            const cookie = await subject.forge(jsonText(node));
            const session = await settle(() => loadCookie(factory, cookie));
            const reasons = log.take();
            // Use the data as an application might: read every key, copy it, merge it.
            for (const key of session.keys()) {
              session.get(key);
            }
            const copy = { ...session.toJSON() };
            Object.assign({}, copy, session.rawData(false));
            session.entries();
            const data = session.peekData();
            return (
              !session.isNew &&
              reasons.length === 0 &&
              !Object.hasOwn(data, '__proto__') &&
              Object.getPrototypeOf(data) === Object.prototype &&
              prototypesUntouched()
            );
          }),
        );
      },
      FUZZ_TIMEOUT_MS,
    );
  });

  describe('when session data of arbitrary JSON values is committed and loaded again', () => {
    it(
      'should load exactly the data that was set',
      async () => {
        await checkProperty(
          `${subject.label}: a round trip is exact`,
          fc.asyncProperty(sessionData, async (data) => {
            let cookie: string;
            try {
              cookie = await issueCookie(factory, data);
            } catch (error) {
              // Too much data for a cookie is refused at commit, as it should be.
              fc.pre(!(error instanceof SessionCookieTooLargeError));
              throw error;
            }
            const session = await settle(() => loadCookie(factory, cookie));
            const reasons = log.take();
            return holds(session, data) && reasons.length === 0;
          }),
        );
      },
      FUZZ_TIMEOUT_MS,
    );
  });
}

/**
 * No text other than the original decodes to the original bytes: where Node's lax decoder sees
 * the same payload or MAC bytes in a changed part, the strict decoder must refuse that part.
 */
function noLaxTwin(original: string, mutated: string): boolean {
  const split = (v: string): [string, string] => {
    const dot = v.lastIndexOf('.');
    return [v.slice(0, dot), v.slice(dot + 1)];
  };
  const before = split(original);
  const after = split(mutated);
  if (mutated.lastIndexOf('.') < 0) {
    return true;
  }
  return [0, 1].every((i) => {
    const [was, now] = [before[i]!, after[i]!];
    const laxSame =
      now !== was && Buffer.from(now, 'base64url').equals(Buffer.from(was, 'base64url'));
    return !laxSame || decodeBase64url(now) === undefined;
  });
}
