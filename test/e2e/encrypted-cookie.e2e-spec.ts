import { Controller, Get, Post, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { Session } from '../../src/request/session.decorator';
import { EncryptedCookieSessionFactory } from '../../src/factories/encrypted-cookie-session.factory';
import { SessionMultiModule } from '../../src/module/session-multi.module';
import type { InvalidSession } from '../../src/session/invalid-session.errors';
import { InvalidSessionSignature } from '../../src/session/invalid-session.errors';
import { createTestApp } from '../support/create-test-app';
import { cookieValue, setCookieFor } from '../support/cookie-jar';

const KEY_NEW = Buffer.alloc(32, 7).toString('base64');
const KEY_OLD = Buffer.alloc(32, 9).toString('base64');

@Controller()
class PrefsController {
  @Post('prefs')
  save(@Session('prefs') prefs: Session): string {
    prefs.set('email', 'ada@example.test');
    return 'saved';
  }

  @Get('prefs')
  read(@Session('prefs') prefs: Session): { email: unknown; isNew: boolean } {
    return { email: prefs.get('email') ?? null, isNew: prefs.isNew };
  }
}

describe('EncryptedCookieSessionFactory', () => {
  let app: INestApplication;
  let oldApp: INestApplication;
  const reasons: InvalidSession[] = [];

  beforeAll(async () => {
    app = await createTestApp({
      sessions: [
        {
          namespace: 'prefs',
          factory: new EncryptedCookieSessionFactory({
            key: [KEY_NEW, KEY_OLD],
            cookieName: 'prefs',
            onInvalidSession: (_req, reason) => reasons.push(reason),
          }),
        },
      ],
      controllers: [PrefsController],
    });
    oldApp = await createTestApp({
      sessions: [
        {
          namespace: 'prefs',
          factory: new EncryptedCookieSessionFactory({ key: KEY_OLD, cookieName: 'prefs' }),
        },
      ],
      controllers: [PrefsController],
    });
  });

  afterAll(async () => {
    await app.close();
    await oldApp.close();
  });

  describe('when a session is written', () => {
    it('should send a cookie the client cannot read, and read it back next request', async () => {
      const res = await request(app.getHttpServer()).post('/prefs').expect(201);
      const value = cookieValue(res, 'prefs');
      expect(Buffer.from(value, 'base64url').toString('latin1')).not.toContain('ada@example');
      const read = await request(app.getHttpServer())
        .get('/prefs')
        .set('Cookie', `prefs=${value}`)
        .expect(200);
      expect(read.body).toEqual({ email: 'ada@example.test', isNew: false });
    });
  });

  describe('when the cookie was altered', () => {
    it('should answer 200 with an empty session and report InvalidSessionSignature', async () => {
      const res = await request(app.getHttpServer()).post('/prefs').expect(201);
      const raw = Buffer.from(cookieValue(res, 'prefs'), 'base64url');
      raw[raw.length - 1] = raw[raw.length - 1]! ^ 1;
      reasons.length = 0;
      const read = await request(app.getHttpServer())
        .get('/prefs')
        .set('Cookie', `prefs=${raw.toString('base64url')}`)
        .expect(200);
      expect(read.body).toEqual({ email: null, isNew: true });
      expect(reasons).toHaveLength(1);
      expect(reasons[0]).toBeInstanceOf(InvalidSessionSignature);
    });
  });

  describe('when the cookie was sealed under an older key', () => {
    it('should accept it and re-seal it under the newest key on the same response', async () => {
      const minted = await request(oldApp.getHttpServer()).post('/prefs').expect(201);
      const read = await request(app.getHttpServer())
        .get('/prefs')
        .set('Cookie', `prefs=${cookieValue(minted, 'prefs')}`)
        .expect(200);
      expect(read.body.email).toBe('ada@example.test');
      expect(setCookieFor(read, 'prefs')).toMatch(/^prefs=[^;]+; Path=\/; HttpOnly; SameSite=Lax$/);
      expect(cookieValue(read, 'prefs')).not.toBe(cookieValue(minted, 'prefs'));
      // The old-key-only app can no longer open the re-sealed cookie.
      const back = await request(oldApp.getHttpServer())
        .get('/prefs')
        .set('Cookie', `prefs=${cookieValue(read, 'prefs')}`)
        .expect(200);
      expect(back.body).toEqual({ email: null, isNew: true });
    });
  });

  describe('when the key is not 32 bytes', () => {
    it('should fail at start-up naming the namespace and the length', async () => {
      const moduleRef = Test.createTestingModule({
        imports: [
          SessionMultiModule.forRoot({
            sessions: [
              {
                namespace: 'prefs',
                factory: new EncryptedCookieSessionFactory({
                  key: Buffer.alloc(16).toString('base64'),
                  cookieName: 'prefs',
                }),
              },
            ],
          }),
        ],
      });
      await expect(moduleRef.compile()).rejects.toThrow(
        `Namespace "prefs": key is 16 bytes; AES-256-GCM needs exactly 32. Generate one with crypto.randomBytes(32).toString('base64').`,
      );
    });
  });
});
