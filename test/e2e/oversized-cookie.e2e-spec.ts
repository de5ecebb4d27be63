import { Controller, Post, Res, type INestApplication } from '@nestjs/common';
import type { Response } from 'express';
import request from 'supertest';
import { SignedCookieSessionFactory } from '../../src/factories/signed-cookie-session.factory';
import { Session } from '../../src/request/session.decorator';
import { createTestApp, SECRET_A, SECRET_B } from '../support/create-test-app';
import { setCookieFor, setCookies } from '../support/cookie-jar';
import { LogCapture } from '../support/log-capture';

@Controller()
class BigController {
  @Post('fits')
  fits(@Session('big') big: Session): string {
    big.set('blob', 'x'.repeat(2500));
    return 'ok';
  }

  @Post('too-big-res')
  tooBigRes(@Session('big') big: Session, @Res() res: Response): void {
    big.set('blob', 'x'.repeat(3200));
    res.status(200).json({ ok: true });
  }

  @Post('too-big')
  tooBig(@Session('big') big: Session, @Session('ui') ui: Session): string {
    ui.set('theme', 'dark');
    big.set('blob', 'x'.repeat(3200));
    return 'ok';
  }
}

describe('Oversized outgoing session cookies', () => {
  let app: INestApplication;
  const capture = new LogCapture();

  beforeAll(async () => {
    app = await createTestApp({
      sessions: [
        {
          namespace: 'big',
          factory: new SignedCookieSessionFactory({ secret: SECRET_A, cookieName: 'big' }),
        },
        {
          namespace: 'ui',
          factory: new SignedCookieSessionFactory({ secret: SECRET_B, cookieName: 'ui' }),
        },
      ],
      controllers: [BigController],
      configure: (a) => a.useLogger(capture),
    });
  });

  afterAll(() => app.close());

  describe('when the cookie stays under 4096 bytes', () => {
    it('should send it', async () => {
      const res = await request(app.getHttpServer()).post('/fits').expect(201);
      const header = setCookieFor(res, 'big')!;
      expect(Buffer.byteLength(header.split(';')[0]!)).toBeLessThanOrEqual(4097);
    });
  });

  describe('when the cookie would exceed 4096 bytes', () => {
    let res: request.Response;

    beforeAll(async () => {
      capture.clear();
      res = await request(app.getHttpServer()).post('/too-big');
    });

    it('should answer 500 instead of sending a cookie the browser would drop', () => {
      expect(res.status).toBe(500);
    });

    it('should not send the oversized cookie', () => {
      expect(setCookieFor(res, 'big')).toBeUndefined();
    });

    it('should still send the cookie of a namespace whose commit succeeded', () => {
      expect(setCookies(res).map((c) => c.split('=')[0])).toEqual(['ui']);
    });

    it('should log the error once (the commit is not retried for the error response)', async () => {
      await capture.waitFor('error', 'SessionCookieTooLargeError');
      await new Promise((r) => setTimeout(r, 50));
      expect(
        capture.at('error').filter((l) => l.includes('SessionCookieTooLargeError')),
      ).toHaveLength(1);
    });

    it('should log SessionCookieTooLargeError naming the namespace and the byte count', async () => {
      const line = await capture.waitFor('error', 'SessionCookieTooLargeError');
      expect(line).toMatch(
        /Namespace "big": the session cookie would be \d{4} bytes \(name plus value\); browsers drop cookies above 4096\./,
      );
      const bytes = Number(/would be (\d+) bytes/.exec(line)![1]);
      expect(bytes).toBeGreaterThan(4096);
    });

    it('should not put the session data in the log', () => {
      expect(capture.all()).not.toContain('x'.repeat(100));
    });
  });

  describe('when an @Res() handler sends the response itself', () => {
    it('should replace the held response with a 500 and no cookie, logging the error', async () => {
      capture.clear();
      const res = await request(app.getHttpServer()).post('/too-big-res').expect(500);
      expect(res.body).toEqual({ statusCode: 500, message: 'Internal server error' });
      expect(setCookies(res)).toEqual([]);
      const line = await capture.waitFor(
        'error',
        'Session commit failed before the response was sent; answering 500 instead.',
      );
      expect(line).toContain('Namespace "big": the session cookie would be');
    });
  });
});
