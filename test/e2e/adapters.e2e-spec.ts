import { Controller, Get, Post, type INestApplication } from '@nestjs/common';
import request from 'supertest';
import { ServerSessionFactory } from '../../src/factories/server-session.factory';
import { SignedCookieSessionFactory } from '../../src/factories/signed-cookie-session.factory';
import { Session } from '../../src/request/session.decorator';
import { MemoryStore } from '../../src/stores/memory.store';
import { CookieJar, setCookieFor } from '../support/cookie-jar';
import { ADAPTERS, createTestApp, SECRET_A, SECRET_B } from '../support/create-test-app';

@Controller()
class CounterController {
  @Post('count')
  count(@Session('ui') ui: Session, @Session('srv') srv: Session): unknown {
    ui.set('n', ((ui.get('n') as number | undefined) ?? 0) + 1);
    srv.set('n', ((srv.get('n') as number | undefined) ?? 0) + 1);
    return { ui: ui.get('n'), srv: srv.get('n') };
  }

  @Get('plain')
  plain(): string {
    return 'plain';
  }
}

describe.each(ADAPTERS)('SessionMultiModule on %s', (adapter) => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createTestApp({
      adapter,
      sessions: [
        {
          namespace: 'ui',
          factory: new SignedCookieSessionFactory({ secret: SECRET_A, cookieName: 'ui' }),
        },
        {
          namespace: 'srv',
          factory: new ServerSessionFactory({
            secret: SECRET_B,
            cookieName: 'srv',
            store: new MemoryStore(),
          }),
        },
      ],
      controllers: [CounterController],
    });
  }, 30_000);

  afterAll(() => app.close());

  describe('when a route takes sessions', () => {
    it('should load, commit and read back both namespaces across requests', async () => {
      const jar = new CookieJar();
      const first = await request(app.getHttpServer()).post('/count').expect(201);
      expect(first.body).toEqual({ ui: 1, srv: 1 });
      expect(setCookieFor(first, 'ui')).toMatch(/^ui=/);
      expect(setCookieFor(first, 'srv')).toMatch(/^srv=/);
      expect(first.headers['vary']).toMatch(/Cookie/i);
      jar.store(first);
      const second = await request(app.getHttpServer())
        .post('/count')
        .set('Cookie', jar.header())
        .expect(201);
      expect(second.body).toEqual({ ui: 2, srv: 2 });
    });
  });

  describe('when a route takes no session', () => {
    it('should answer without a cookie or Vary', async () => {
      const res = await request(app.getHttpServer()).get('/plain').expect(200);
      expect(res.text).toBe('plain');
      expect(res.headers['set-cookie']).toBeUndefined();
      expect(res.headers['vary']).toBeUndefined();
    });
  });
});
