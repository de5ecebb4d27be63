import { Controller, Get, Post, type INestApplication } from '@nestjs/common';
import request from 'supertest';
import { Session } from '../../src/request/session.decorator';
import { SignedCookieSessionFactory } from '../../src/factories/signed-cookie-session.factory';
import { ADAPTERS, createTestApp, SECRET_A, SECRET_B } from '../support/create-test-app';
import { CookieJar, setCookies } from '../support/cookie-jar';

@Controller()
class LazyController {
  @Get('none')
  none(): string {
    return 'no session touched';
  }

  @Get('ui')
  readUi(@Session('ui') ui: Session | null): { theme: unknown } {
    return { theme: ui?.get('theme') ?? null };
  }

  @Post('ui')
  writeUi(@Session('ui') ui: Session): string {
    ui.set('theme', 'dark');
    return 'ok';
  }
}

describe.each(ADAPTERS)('Lazy namespaces on %s', (adapter) => {
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
          namespace: 'cart',
          factory: new SignedCookieSessionFactory({ secret: SECRET_B, cookieName: 'cart' }),
        },
      ],
      controllers: [LazyController],
    });
  }, 60_000);

  afterAll(() => app.close());

  describe('when a route touches no session', () => {
    it('should send no Set-Cookie and no Vary: Cookie', async () => {
      const res = await request(app.getHttpServer()).get('/none').expect(200);
      expect(setCookies(res)).toEqual([]);
      expect(res.headers['vary']).toBeUndefined();
    });
  });

  describe('when a route reads an empty namespace', () => {
    it('should send no cookie but Vary: Cookie', async () => {
      const res = await request(app.getHttpServer()).get('/ui').expect(200);
      expect(setCookies(res)).toEqual([]);
      expect(res.headers['vary']).toBe('Cookie');
    });
  });

  describe('when a route writes one namespace', () => {
    it('should set exactly that namespace cookie, readable on the next request', async () => {
      const jar = new CookieJar();
      const res = await request(app.getHttpServer()).post('/ui').expect(201);
      expect(setCookies(res).map((c) => c.split('=')[0])).toEqual(['ui']);
      jar.store(res);
      const read = await request(app.getHttpServer())
        .get('/ui')
        .set('Cookie', jar.header())
        .expect(200);
      expect(read.body).toEqual({ theme: 'dark' });
    });
  });
});
