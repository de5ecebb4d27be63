import { Controller, Get, Post, type INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import express from 'express';
import session from 'express-session';
import type { SessionMultiRequest } from '../../src/request/session-multi.middleware';
import request from 'supertest';
import { SignedCookieSessionFactory } from '../../src/factories/signed-cookie-session.factory';
import { ServerSessionFactory } from '../../src/factories/server-session.factory';
import { Session } from '../../src/request/session.decorator';
import { MemoryStore } from '../../src/stores/memory.store';
import { createTestApp, SECRET_A } from '../support/create-test-app';

@Controller()
class C {
  @Post('write')
  write(@Session('srv') s: Session): { ok: boolean } {
    s.set('n', 1); // needs a store write: the safety net holds the response
    return { ok: true };
  }
  @Get('cookie-read')
  cookieRead(@Session('ui') ui: Session): unknown {
    return ui.toJSON(); // a signed-cookie read: commit decided synchronously, nothing held
  }
  @Get('plain')
  plain(): string {
    return 'plain';
  }
}

const srv = () => ({
  namespace: 'srv',
  factory: new ServerSessionFactory({
    secret: SECRET_A,
    cookieName: 'srv',
    store: new MemoryStore(),
  }),
});

const ui = () => ({
  namespace: 'ui',
  factory: new SignedCookieSessionFactory({ secret: SECRET_A, cookieName: 'ui' }),
});

/**
 * Other middleware often wraps res.end / res.write per request (express-session, compression,
 * APM agents). The safety net wraps on top of them, per response: a held call is
 * replayed through them exactly once.
 */
describe('Response wrappers installed by other middleware', () => {
  describe('when express-session is mounted in front (it guards against a second end())', () => {
    let app: INestApplication;
    beforeAll(async () => {
      app = await createTestApp({
        sessions: [
          srv(),
          {
            namespace: 'ui',
            factory: new SignedCookieSessionFactory({ secret: SECRET_A, cookieName: 'ui' }),
          },
        ],
        controllers: [C],
        configure: (a) =>
          a.use(session({ secret: 'x'.repeat(32), resave: false, saveUninitialized: false })),
      });
    });
    afterAll(() => app.close());

    it('should complete a response that was held for a store write', async () => {
      const res = await request(app.getHttpServer()).post('/write').timeout(2000);
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ ok: true });
    });

    it('should complete a response that was not held (a cookie-session read)', async () => {
      const res = await request(app.getHttpServer()).get('/cookie-read').timeout(2000);
      expect(res.status).toBe(200);
    });
  });

  describe('when a transforming wrapper (like compression) is in front', () => {
    let app: INestApplication;
    beforeAll(async () => {
      app = await createTestApp({
        sessions: [srv(), ui()],
        controllers: [C],
        configure: (a) =>
          a.use((_req: Request, res: Response, next: NextFunction) => {
            type Forward = (this: Response, ...args: unknown[]) => unknown;
            const end = res.end as unknown as Forward;
            // Wraps the body in brackets, like a transforming stream: a second pass would show.
            res.end = function (this: Response, chunk?: unknown, ...rest: unknown[]) {
              if (!res.headersSent) {
                res.removeHeader('content-length');
              }
              const body =
                typeof chunk === 'string' || Buffer.isBuffer(chunk)
                  ? `[${chunk.toString()}]`
                  : chunk;
              return end.call(this, body, ...rest);
            } as Response['end'];
            next();
          }),
      });
    });
    afterAll(() => app.close());

    it('should pass the body through the wrapper exactly once', async () => {
      const res = await request(app.getHttpServer()).post('/write').timeout(2000).expect(201);
      expect(res.text).toBe('[{"ok":true}]');
    });
  });

  describe('when the response is sent by an Express sub-application', () => {
    let app: INestApplication;
    beforeAll(async () => {
      // The sub-application swaps in its own response prototype: the net, on the response
      // object itself, must still be met.
      const legacy = express();
      legacy.get('/', (_req, res) => {
        res.send('legacy');
      });
      app = await createTestApp({
        sessions: [srv(), ui()],
        controllers: [C],
        configure: (a) => {
          a.use((req: SessionMultiRequest, _res: Response, next: NextFunction) => {
            if (!(req.url ?? '').startsWith('/legacy')) {
              next();
              return;
            }
            void req.sessionMulti!.get('srv').then((s) => {
              s!.set('visited', true);
              next();
            }, next);
          });
          a.use('/legacy', legacy);
        },
      });
    });
    afterAll(() => app.close());

    it('should commit the session before the sub-application sends the response', async () => {
      const res = await request(app.getHttpServer()).get('/legacy').timeout(2000).expect(200);
      expect(res.text).toBe('legacy');
      const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
      expect(cookies.map((c) => c.split('=')[0])).toEqual(['srv']);
    });
  });
});
