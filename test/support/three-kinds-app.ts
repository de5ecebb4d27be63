import { Controller, Get, Param, Post, type INestApplication } from '@nestjs/common';
import request from 'supertest';
import { EncryptedCookieSessionFactory } from '../../src/factories/encrypted-cookie-session.factory';
import { ServerSessionFactory } from '../../src/factories/server-session.factory';
import type { SessionRequest } from '../../src/factories/session-factory.interface';
import { SignedCookieSessionFactory } from '../../src/factories/signed-cookie-session.factory';
import { Sessions } from '../../src/request/session.decorator';
import type { SessionContainer } from '../../src/request/session-container';
import type { InvalidSession } from '../../src/session/invalid-session.errors';
import { MemoryStore } from '../../src/stores/memory.store';
import { cookieValue } from './cookie-jar';
import { createTestApp, SECRET_A, type TestAppOptions } from './create-test-app';

/** One namespace per factory kind; the cookie name is the namespace. */
export const KINDS = ['signed', 'sealed', 'server'] as const;
export type Kind = (typeof KINDS)[number];

@Controller('s')
class ThreeKindsController {
  @Get(':ns')
  async read(
    @Sessions() all: SessionContainer,
    @Param('ns') ns: string,
  ): Promise<{ isNew: boolean; data: Record<string, unknown> }> {
    const session = (await all.get(ns))!;
    return { isNew: session.isNew, data: session.toJSON() };
  }

  @Post(':ns')
  async write(@Sessions() all: SessionContainer, @Param('ns') ns: string): Promise<string> {
    (await all.get(ns))!.set('user', `ada-${ns}`);
    return 'ok';
  }
}

export interface ThreeKindsApp {
  app: INestApplication;
  /** Every onInvalidSession call, in order. */
  reasons: InvalidSession[];
  /** GET /s/:ns with a raw Cookie header. */
  read(ns: Kind, cookie?: string): request.Test;
  /** A genuine cookie value for the namespace, holding `{ user: 'ada-<ns>' }`. */
  issue(ns: Kind): Promise<string>;
}

/**
 * An app with a signed-cookie ('signed'), an encrypted-cookie ('sealed') and a server-side
 * namespace ('server', MemoryStore), onInvalidSession recorded. GET /s/:ns reads a namespace,
 * POST /s/:ns writes `{ user: 'ada-<ns>' }` into it.
 */
export async function startThreeKindsApp(
  configure?: TestAppOptions['configure'],
): Promise<ThreeKindsApp> {
  const reasons: InvalidSession[] = [];
  const onInvalidSession = (_req: SessionRequest, reason: InvalidSession): void => {
    reasons.push(reason);
  };
  const app = await createTestApp({
    sessions: [
      {
        namespace: 'signed',
        factory: new SignedCookieSessionFactory({
          secret: SECRET_A,
          cookieName: 'signed',
          onInvalidSession,
        }),
      },
      {
        namespace: 'sealed',
        factory: new EncryptedCookieSessionFactory({
          key: Buffer.alloc(32, 7),
          cookieName: 'sealed',
          onInvalidSession,
        }),
      },
      {
        namespace: 'server',
        factory: new ServerSessionFactory({
          store: new MemoryStore(),
          secret: SECRET_A,
          cookieName: 'server',
          onInvalidSession,
        }),
      },
    ],
    controllers: [ThreeKindsController],
    configure,
  });
  const server = app.getHttpServer() as Parameters<typeof request>[0];
  return {
    app,
    reasons,
    read: (ns, cookie) => {
      const req = request(server).get(`/s/${ns}`);
      return cookie === undefined ? req : req.set('Cookie', cookie);
    },
    issue: async (ns) => {
      const res = await request(server).post(`/s/${ns}`).expect(201);
      return cookieValue(res, ns);
    },
  };
}
