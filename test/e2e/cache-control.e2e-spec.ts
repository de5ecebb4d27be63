import { Controller, Get, Header, Post, type INestApplication } from '@nestjs/common';
import request from 'supertest';
import { SignedCookieSessionFactory } from '../../src/factories/signed-cookie-session.factory';
import { Session } from '../../src/request/session.decorator';
import { ADAPTERS, createTestApp, SECRET_A } from '../support/create-test-app';
import { setCookieFor } from '../support/cookie-jar';

@Controller()
class PageController {
  @Post('write')
  write(@Session('ui') ui: Session): string {
    ui.set('n', 1);
    return 'ok';
  }

  @Get('read')
  read(@Session('ui') ui: Session): { n: unknown } {
    return { n: ui.get('n') ?? null };
  }

  @Post('write-private')
  @Header('Cache-Control', 'private, max-age=60')
  writePrivate(@Session('ui') ui: Session): string {
    ui.set('n', 2);
    return 'ok';
  }

  @Get('write-public')
  @Header('Cache-Control', 'public, max-age=60')
  writePublic(@Session('ui') ui: Session): string {
    ui.set('n', 3);
    return 'cacheable';
  }
}

describe.each(ADAPTERS)('Cache-Control on session responses (%s)', (adapter) => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createTestApp({
      adapter,
      sessions: [
        {
          namespace: 'ui',
          factory: new SignedCookieSessionFactory({ secret: SECRET_A, cookieName: 'ui' }),
        },
      ],
      controllers: [PageController],
    });
  });

  afterAll(() => app.close());

  const http = () => request(app.getHttpServer());

  describe('when the response sets a session cookie', () => {
    it('should send Cache-Control: private, no-store', async () => {
      const res = await http().post('/write').expect(201);
      expect(setCookieFor(res, 'ui')).toBeDefined();
      expect(res.headers['cache-control']).toBe('private, no-store');
    });
  });

  describe('when the response clears a session cookie', () => {
    it('should send Cache-Control: private, no-store', async () => {
      const res = await http().get('/read').set('Cookie', 'ui=forged.value').expect(200);
      expect(setCookieFor(res, 'ui')).toMatch(/^ui=; Max-Age=0;/);
      expect(res.headers['cache-control']).toBe('private, no-store');
    });
  });

  describe('when the response sets no session cookie', () => {
    it('should leave Cache-Control alone', async () => {
      const res = await http().get('/read').expect(200);
      expect(setCookieFor(res, 'ui')).toBeUndefined();
      expect(res.headers['cache-control']).toBeUndefined();
    });
  });

  describe('when the application set its own Cache-Control', () => {
    it('should keep it beside the session cookie', async () => {
      const res = await http().post('/write-private').expect(201);
      expect(setCookieFor(res, 'ui')).toBeDefined();
      expect(res.headers['cache-control']).toBe('private, max-age=60');
    });
  });

  if (adapter === 'express') {
    describe('when the application marked the response publicly cacheable', () => {
      it('should send no session cookie and keep its Cache-Control', async () => {
        const res = await http().get('/write-public').expect(200);
        expect(setCookieFor(res, 'ui')).toBeUndefined();
        expect(res.headers['cache-control']).toBe('public, max-age=60');
      });
    });
  }
});
