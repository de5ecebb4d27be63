import { Controller, Get, Param, Post, type INestApplication } from '@nestjs/common';
import request from 'supertest';
import {
  SignedCookieSessionFactory,
  type SignedCookieSessionOptions,
} from '../../src/factories/signed-cookie-session.factory';
import type { SessionRequest } from '../../src/factories/session-factory.interface';
import { Sessions } from '../../src/request/session.decorator';
import type { SessionContainer } from '../../src/request/session-container';
import type { InvalidSession } from '../../src/session/invalid-session.errors';
import { createTestApp, SECRET_A } from './create-test-app';
import { expect } from '@jest/globals';
import { cookieValue, setCookies } from './cookie-jar';
import { LogCapture } from './log-capture';

/** What GET /sessions/:ns answers: how the namespace was mounted on this request. */
export interface SessionView {
  isNew: boolean;
  data: Record<string, unknown>;
}

@Controller('sessions')
class SessionViewController {
  @Get('both')
  async both(@Sessions() all: SessionContainer): Promise<Record<string, SessionView>> {
    return { ui: await view(all, 'ui'), cart: await view(all, 'cart') };
  }

  @Get(':ns')
  one(@Sessions() all: SessionContainer, @Param('ns') ns: string): Promise<SessionView> {
    return view(all, ns);
  }

  /** Writes `{ user: 'ada', ns }` into the namespace, so the response carries a real cookie. */
  @Post(':ns')
  async write(@Sessions() all: SessionContainer, @Param('ns') ns: string): Promise<SessionView> {
    const session = (await all.get(ns))!;
    session.update({ user: 'ada', ns });
    return { isNew: session.isNew, data: session.toJSON() };
  }
}

async function view(all: SessionContainer, ns: string): Promise<SessionView> {
  const session = (await all.get(ns))!;
  return { isNew: session.isNew, data: session.toJSON() };
}

/**
 * Nest's Logger override is process-wide, so every app of a test file logs to the last logger
 * installed: all security apps share one capture.
 */
const SHARED_CAPTURE = new LogCapture();

export interface SecurityApp {
  app: INestApplication;
  capture: LogCapture;
  /** Every onInvalidSession call, in order (both namespaces). */
  reasons: InvalidSession[];
  /** GET a path with a raw Cookie header. */
  get(path: string, cookie?: string): request.Test;
  /** A genuine cookie value for the namespace, issued by POST /sessions/:ns. */
  issue(ns: 'ui' | 'cart'): Promise<string>;
}

/**
 * An app with two signed-cookie namespaces, 'ui' (cookie "ui") and 'cart' (cookie "cart"), both
 * keyed with SECRET_A by default so only the namespace binding tells their cookies apart, with
 * onInvalidSession recorded and logs captured. GET /sessions/{ui,cart,both} show the
 * mounts; POST /sessions/{ui,cart} writes `{ user: 'ada', ns }`.
 */
export async function startSecurityApp(
  overrides: Partial<SignedCookieSessionOptions> = {},
  controllers: (new (...args: never[]) => unknown)[] = [],
): Promise<SecurityApp> {
  const capture = SHARED_CAPTURE;
  const reasons: InvalidSession[] = [];
  const onInvalidSession = (_req: SessionRequest, reason: InvalidSession): void => {
    reasons.push(reason);
  };
  const options = (cookieName: string): SignedCookieSessionOptions => ({
    secret: SECRET_A,
    cookieName,
    onInvalidSession,
    ...overrides,
  });
  const app = await createTestApp({
    sessions: [
      { namespace: 'ui', factory: new SignedCookieSessionFactory(options('ui')) },
      { namespace: 'cart', factory: new SignedCookieSessionFactory(options('cart')) },
    ],
    controllers: [SessionViewController, ...controllers],
    configure: (a) => a.useLogger(capture),
  });
  return {
    app,
    capture,
    reasons,
    get: (path, cookie) => {
      const req = request(app.getHttpServer()).get(path);
      return cookie === undefined ? req : req.set('Cookie', cookie);
    },
    issue: async (ns) => {
      const res = await request(app.getHttpServer()).post(`/sessions/${ns}`).expect(201);
      return cookieValue(res, ns);
    },
  };
}

/**
 * The outcome every refused cookie must have (R33): HTTP 200 with an empty new session, exactly one
 * onInvalidSession call with the expected reason class, one debug line naming the reason, no log
 * line containing the cookie value, and the stale cookie cleared on the response.
 */
export async function expectRefusedCookie(
  sec: SecurityApp,
  cookieValue: string,
  reason: abstract new (...args: never[]) => InvalidSession,
  ns: 'ui' | 'cart' = 'ui',
): Promise<void> {
  sec.reasons.length = 0;
  sec.capture.clear();
  const res = await sec.get(`/sessions/${ns}`, `${ns}=${cookieValue}`).expect(200);
  expect(res.body).toEqual({ isNew: true, data: {} });
  expect(sec.reasons).toHaveLength(1);
  expect(sec.reasons[0]).toBeInstanceOf(reason);
  expect(sec.reasons[0]!.namespace).toBe(ns);
  const debug = sec.capture.at('debug').filter((l) => l.includes(sec.reasons[0]!.message));
  expect(debug).toHaveLength(1);
  if (cookieValue.length >= 8) {
    expect(sec.capture.all()).not.toContain(cookieValue);
    expect(sec.capture.all()).not.toContain(cookieValue.slice(-16));
  }
  expect(setCookies(res)).toEqual([
    `${ns}=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax`,
  ]);
}
