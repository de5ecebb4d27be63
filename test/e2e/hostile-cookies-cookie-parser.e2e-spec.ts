import cookieParser from 'cookie-parser';
import { sign } from 'cookie-signature';
import type { NextFunction, Request, Response } from 'express';
import {
  InvalidSessionDeserialization,
  InvalidSessionSignature,
} from '../../src/session/invalid-session.errors';
import {
  KINDS,
  startThreeKindsApp,
  type Kind,
  type ThreeKindsApp,
} from '../support/three-kinds-app';

const PARSER_SECRET = 'cookie-parser-secret';
const PER_NAMESPACE = 1000;

/** A small seeded PRNG (mulberry32), so a failing value can be reproduced. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A MAC or ciphertext with one character moved above U+00FF (it folds back under latin1). */
function shiftedAbove00ff(genuine: string, at: number): string {
  const i = genuine.length - 1 - (at % 8);
  const moved = String.fromCharCode(genuine.charCodeAt(i) + 0x100);
  return encodeURIComponent(genuine.slice(0, i) + moved + genuine.slice(i + 1));
}

/** Header-safe text: visible latin1 without ";" (the pair separator). */
function randomLatin1(next: () => number, length: number): string {
  let out = '';
  while (out.length < length) {
    const code = 0x21 + Math.floor(next() * (0xff - 0x21));
    if (code !== 0x3b && (code < 0x7f || code > 0x9f)) {
      out += String.fromCharCode(code);
    }
  }
  return out;
}

/** The i-th hostile value for a namespace whose genuine cookie is `genuine`. */
function hostile(i: number, genuine: string, next: () => number): string {
  const text = randomLatin1(next, 1 + Math.floor(next() * 60));
  switch (i % 10) {
    case 0:
      return `j:{"length":${Math.floor(next() * 100)}}`;
    case 1:
      return encodeURIComponent(`j:${JSON.stringify({ a: text, b: [1, 2], lastIndexOf: null })}`);
    case 2:
      // cookie-parser would turn this into the genuine string itself.
      return encodeURIComponent(`j:${JSON.stringify(genuine)}`);
    case 3:
      return encodeURIComponent(`s:${sign(text, PARSER_SECRET)}`);
    case 4:
      // A genuine session cookie wrapped in cookie-parser's own signature.
      return encodeURIComponent(`s:${sign(genuine, PARSER_SECRET)}`);
    case 5:
      return encodeURIComponent(
        Buffer.from(Array.from({ length: 48 }, () => Math.floor(next() * 256))).toString('latin1'),
      );
    case 6:
      return text;
    case 7:
      return shiftedAbove00ff(genuine, i);
    case 8:
      return genuine.slice(0, Math.floor(next() * genuine.length)) + text.slice(0, 3);
    default:
      return `${genuine}${text.slice(0, 2)}`;
  }
}

describe('Hostile cookies with cookie-parser mounted', () => {
  let t: ThreeKindsApp;

  beforeAll(async () => {
    t = await startThreeKindsApp((app) => app.use(cookieParser(PARSER_SECRET)));
  });

  afterAll(() => t.app.close());

  beforeEach(() => {
    t.reasons.length = 0;
  });

  describe.each(KINDS)('namespace %s', (ns: Kind) => {
    describe('when the cookie is genuine', () => {
      it('should load the session', async () => {
        const genuine = await t.issue(ns);
        const res = await t.read(ns, `${ns}=${genuine}`).expect(200);
        expect(res.body).toEqual({ isNew: false, data: { user: `ada-${ns}` } });
      });
    });

    describe('when the cookie is a j: value cookie-parser turns into an object', () => {
      it('should answer 200 with a new session and report the signature', async () => {
        const res = await t.read(ns, `${ns}=j:{"length":1}`).expect(200);
        expect(res.body).toEqual({ isNew: true, data: {} });
        expect(t.reasons).toHaveLength(1);
        expect(t.reasons[0]).toBeInstanceOf(InvalidSessionSignature);
      });
    });

    describe('when a genuine cookie has a character moved above U+00FF', () => {
      it('should refuse it', async () => {
        const genuine = await t.issue(ns);
        for (let at = 0; at < 8; at++) {
          const res = await t.read(ns, `${ns}=${shiftedAbove00ff(genuine, at)}`).expect(200);
          expect(res.body).toEqual({ isNew: true, data: {} });
        }
      });
    });

    describe(`when ${PER_NAMESPACE} hostile values arrive`, () => {
      it('should answer each with 200 and a new session, never a session of its own', async () => {
        const genuine = await t.issue(ns);
        const next = prng(KINDS.indexOf(ns) + 1);
        const values = Array.from({ length: PER_NAMESPACE }, (_, i) => hostile(i, genuine, next));
        const failures: string[] = [];
        for (let i = 0; i < values.length; i += 25) {
          const batch = values.slice(i, i + 25);
          const answers = await Promise.all(batch.map((v) => t.read(ns, `${ns}=${v}`)));
          answers.forEach((res, j) => {
            const body = res.body as { isNew?: boolean; data?: unknown };
            if (res.status !== 200 || body.isNew !== true) {
              failures.push(`#${i + j} ${JSON.stringify(batch[j])} -> ${res.status}`);
            }
          });
        }
        expect(failures).toEqual([]);
        expect(t.reasons.length).toBe(PER_NAMESPACE);
      }, 60_000);
    });
  });
});

describe('Cookies that are not strings', () => {
  let t: ThreeKindsApp;

  beforeAll(async () => {
    // A parser that leaves objects in req.cookies and consumes the header.
    t = await startThreeKindsApp((app) =>
      app.use((req: Request, _res: Response, next: NextFunction) => {
        req.cookies = { signed: { length: 1 }, sealed: ['x'], server: 42 };
        delete req.headers.cookie;
        next();
      }),
    );
  });

  afterAll(() => t.app.close());

  describe.each(KINDS)('namespace %s', (ns: Kind) => {
    describe('when req.cookies holds an object and no Cookie header came', () => {
      it('should answer 200 with a new session and report that the value is not a string', async () => {
        t.reasons.length = 0;
        const res = await t.read(ns).expect(200);
        expect(res.body).toEqual({ isNew: true, data: {} });
        expect(t.reasons).toHaveLength(1);
        expect(t.reasons[0]).toBeInstanceOf(InvalidSessionDeserialization);
        expect(t.reasons[0]!.message).toBe(
          `Namespace "${ns}": the session cookie is not a string (another cookie parser turned it into an object); it was ignored.`,
        );
      });
    });
  });
});
