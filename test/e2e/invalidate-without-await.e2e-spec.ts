import { Controller, HttpCode, Post, type INestApplication } from '@nestjs/common';
import request from 'supertest';
import { RedisSessionFactory } from '../../src/factories/redis-session.factory';
import { ServerSessionFactory } from '../../src/factories/server-session.factory';
import { Session } from '../../src/request/session.decorator';
import { CookieJar, setCookieFor } from '../support/cookie-jar';
import { ADAPTERS, createTestApp, SECRET_A } from '../support/create-test-app';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { FailingDeleteStore } from '../support/slow-stores';
import { appCommands, ServerSessionController } from './server-session-fixtures';

@Controller()
class LogoutController {
  @Post('logout/:ns')
  @HttpCode(200)
  logout(@Session('auth') auth: Session): string {
    // eslint-disable-next-line @typescript-eslint/no-floating-promises -- the case under test: invalidate() without await, as a Pyramid user writes it
    auth.invalidate();
    return 'bye';
  }

  @Post('logout-awaited/:ns')
  @HttpCode(200)
  async logoutAwaited(@Session('auth') auth: Session): Promise<string> {
    await auth.invalidate();
    return 'bye';
  }
}

const CLEARED = /^auth=; Max-Age=0; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT/;

describe.each(ADAPTERS)('Session#invalidate() without await on %s', (adapter) => {
  describe('when the store is a private Redis (RedisSessionFactory)', () => {
    let server: RedisServer;
    let app: INestApplication;

    beforeAll(async () => {
      server = await startRedisServer();
      app = await createTestApp({
        adapter,
        sessions: [
          {
            namespace: 'auth',
            factory: new RedisSessionFactory({
              redis: { url: server.url, prefix: 'auth:' },
              secret: SECRET_A,
              cookieName: 'auth',
            }),
          },
        ],
        controllers: [ServerSessionController, LogoutController],
      });
    }, 60_000);

    afterAll(async () => {
      await app?.close();
      await server?.stop();
    });

    const http = () => request(app.getHttpServer());

    async function seed(): Promise<CookieJar> {
      const res = await http().post('/s/auth').send({ user: 'ada' }).expect(200);
      return new CookieJar().store(res);
    }

    it.each([
      ['without await', 'logout'],
      ['with await', 'logout-awaited'],
    ])(
      'should cost exactly GET + DEL %s, clear the cookie and refuse the old one afterwards',
      async (_form, route) => {
        const jar = await seed();
        const old = jar.header();
        await server.resetStats();
        const res = await http().post(`/${route}/auth`).set('Cookie', old).expect(200);
        expect(appCommands(await server.commandStats())).toEqual({ get: 1, del: 1 });
        expect(setCookieFor(res, 'auth')).toMatch(CLEARED);

        const after = await http().get('/s/auth').set('Cookie', old).expect(200);
        expect(after.body).toEqual({ isNew: true, data: {} });
      },
    );
  });

  describe('when the store refuses the delete', () => {
    const store = new FailingDeleteStore();
    let app: INestApplication;

    beforeAll(async () => {
      app = await createTestApp({
        adapter,
        sessions: [
          {
            namespace: 'auth',
            factory: new ServerSessionFactory({ secret: SECRET_A, cookieName: 'auth', store }),
          },
        ],
        controllers: [ServerSessionController, LogoutController],
      });
    }, 60_000);

    afterAll(() => app.close());

    afterEach(() => {
      store.failDeletes = false;
    });

    it('should answer 503 without a clearing cookie, and keep the record', async () => {
      const created = await request(app.getHttpServer())
        .post('/s/auth')
        .send({ user: 'ada' })
        .expect(200);
      const old = new CookieJar().store(created).header();
      store.failDeletes = true;
      const res = await request(app.getHttpServer())
        .post('/logout/auth')
        .set('Cookie', old)
        .expect(503);
      expect(setCookieFor(res, 'auth')).toBeUndefined();
      store.failDeletes = false;

      const read = await request(app.getHttpServer()).get('/s/auth').set('Cookie', old).expect(200);
      expect(read.body).toEqual({ isNew: false, data: { user: 'ada' } });
    });
  });
});
