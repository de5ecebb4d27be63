import { Controller, Get, type INestApplication } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import compression from 'compression';
import request from 'supertest';
import { ServerSessionFactory } from '../../src/factories/server-session.factory';
import { Session } from '../../src/request/session.decorator';
import { setCookieFor } from '../support/cookie-jar';
import { createTestApp, SECRET_A } from '../support/create-test-app';
import { SlowSetStore } from '../support/slow-stores';

/** What happened, in order: the store's set resolving, the real writeHead. */
const order: string[] = [];

const store = new SlowSetStore(50);
store.onSetResolved = () => order.push('store set resolved');

/** Innermost wrapper of writeHead (installed before compression's): the headers really leave. */
function recordWriteHead(_req: unknown, res: ServerResponse, next: () => void): void {
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    order.push('writeHead');
    return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
  };
  next();
}

const BODY = 'a compressible line of text\n'.repeat(2000);

@Controller()
class TextController {
  @Get('text')
  text(@Session('srv') srv: Session): { text: string } {
    srv.set('seen', true);
    return { text: BODY };
  }
}

// Express only: `compression` is Express/Connect middleware (Fastify uses @fastify/compress).
describe('SessionCommitInterceptor behind compression (Express)', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createTestApp({
      adapter: 'express',
      sessions: [
        {
          namespace: 'srv',
          factory: new ServerSessionFactory({ secret: SECRET_A, cookieName: 'srv', store }),
        },
      ],
      controllers: [TextController],
      configure: (a) => {
        a.use(recordWriteHead);
        a.use(compression());
      },
    });
  }, 60_000);

  afterAll(() => app.close());

  describe('when a session route writes to a slow store', () => {
    it('should gzip the body, set the cookie, and finish the store write before writeHead', async () => {
      order.length = 0;
      const res = await request(app.getHttpServer())
        .get('/text')
        .set('Accept-Encoding', 'gzip')
        .expect(200);
      expect(res.headers['content-encoding']).toBe('gzip');
      expect(res.body).toEqual({ text: BODY });
      expect(setCookieFor(res, 'srv')).toMatch(/^srv=/);
      expect(order).toEqual(['store set resolved', 'writeHead']);
    });
  });
});
