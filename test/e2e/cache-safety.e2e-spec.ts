import { Controller, Get, Header, Post, Res, type INestApplication } from '@nestjs/common';
import type { Response } from 'express';
import request from 'supertest';
import { SignedCookieSessionFactory } from '../../src/factories/signed-cookie-session.factory';
import type { SessionRequest } from '../../src/factories/session-factory.interface';
import { Session } from '../../src/request/session.decorator';
import { createTestApp, SECRET_A, SECRET_B } from '../support/create-test-app';
import { CookieJar, setCookieFor, setCookies } from '../support/cookie-jar';
import { LogCapture } from '../support/log-capture';

@Controller()
class CacheController {
  @Post('write')
  write(@Session('ui') ui: Session): string {
    ui.set('n', 1);
    return 'ok';
  }

  @Get('read')
  read(@Session('ui') ui: Session): unknown {
    return { n: ui.get('n') ?? null };
  }

  @Get('public')
  @Header('Cache-Control', 'public, max-age=60')
  publicPage(@Session('ui') ui: Session): string {
    ui.set('n', 2);
    return 'cacheable';
  }

  @Get('shared')
  @Header('Cache-Control', 'max-age=0, s-maxage=300')
  sharedPage(@Session('ui') ui: Session): string {
    ui.set('n', 3);
    return 'cacheable by a CDN';
  }

  @Get('private')
  @Header('Cache-Control', 'private, max-age=60')
  privatePage(@Session('ui') ui: Session): string {
    ui.set('n', 4);
    return 'private';
  }

  @Get('public-by-handler')
  publicByHandler(@Session('ui') ui: Session, @Res({ passthrough: true }) res: Response): string {
    res.setHeader('Cache-Control', 'public, max-age=30');
    ui.set('n', 5);
    return 'cacheable';
  }

  @Get('public-override')
  @Header('Cache-Control', 'public, max-age=60')
  publicOverride(@Session('ui') ui: Session, @Session('edge') edge: Session): string {
    ui.set('n', 6);
    edge.set('seen', true);
    return 'cacheable';
  }

  @Get('public-conditional')
  @Header('Cache-Control', 'public, max-age=60')
  publicConditional(@Session('cond') cond: Session): string {
    cond.set('seen', true);
    return 'cacheable';
  }
}

describe('Cache safety', () => {
  let app: INestApplication;
  const capture = new LogCapture();

  beforeAll(async () => {
    app = await createTestApp({
      sessions: [
        {
          namespace: 'ui',
          factory: new SignedCookieSessionFactory({ secret: SECRET_A, cookieName: 'ui' }),
        },
        {
          namespace: 'edge',
          factory: new SignedCookieSessionFactory({
            secret: SECRET_B,
            cookieName: 'edge',
            allowCookies: () => true,
          }),
        },
        {
          namespace: 'cond',
          factory: new SignedCookieSessionFactory({
            secret: SECRET_B,
            cookieName: 'cond',
            allowCookies: (req: SessionRequest) => req.headers['x-allow-cookie'] === '1',
          }),
        },
      ],
      controllers: [CacheController],
      configure: (a) => a.useLogger(capture),
    });
  });

  afterAll(() => app.close());

  describe('when a response sets a session cookie', () => {
    it('should carry Vary: Cookie', async () => {
      const res = await request(app.getHttpServer()).post('/write').expect(201);
      expect(setCookieFor(res, 'ui')).toBeDefined();
      expect(res.headers['vary']).toBe('Cookie');
    });
  });

  describe('when a response only reads a session cookie', () => {
    it('should carry Vary: Cookie without setting a cookie', async () => {
      const jar = new CookieJar().store(await request(app.getHttpServer()).post('/write'));
      const res = await request(app.getHttpServer())
        .get('/read')
        .set('Cookie', jar.header())
        .expect(200);
      expect(res.body).toEqual({ n: 1 });
      expect(setCookies(res)).toEqual([]);
      expect(res.headers['vary']).toBe('Cookie');
    });
  });

  describe('when the response is publicly cacheable', () => {
    it.each([
      ['Cache-Control: public (from @Header)', '/public'],
      ['s-maxage', '/shared'],
      ['Cache-Control: public set by the handler', '/public-by-handler'],
    ])('should not set the session cookie for %s', async (_case, path) => {
      const res = await request(app.getHttpServer()).get(path).expect(200);
      expect(setCookies(res)).toEqual([]);
      expect(res.headers['vary']).toBe('Cookie');
    });

    it('should log why at debug level', async () => {
      capture.clear();
      await request(app.getHttpServer()).get('/public').expect(200);
      await capture.waitFor(
        'debug',
        'Namespace "ui": cookie withheld by allowCookies (e.g. a publicly cacheable response).',
      );
    });
  });

  describe('when the response is private', () => {
    it('should set the cookie', async () => {
      const res = await request(app.getHttpServer()).get('/private').expect(200);
      expect(setCookieFor(res, 'ui')).toBeDefined();
    });
  });

  describe('when a namespace overrides allowCookies', () => {
    it('should set only that namespace cookie on a public response', async () => {
      const res = await request(app.getHttpServer()).get('/public-override').expect(200);
      expect(setCookies(res).map((c) => c.split('=')[0])).toEqual(['edge']);
    });

    it('should give the hook the request to decide', async () => {
      const refused = await request(app.getHttpServer()).get('/public-conditional').expect(200);
      expect(setCookies(refused)).toEqual([]);
      const allowed = await request(app.getHttpServer())
        .get('/public-conditional')
        .set('X-Allow-Cookie', '1')
        .expect(200);
      expect(setCookieFor(allowed, 'cond')).toBeDefined();
    });
  });
});
