import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { RedisSessionFactory } from '../../src/factories/redis-session.factory';
import { CookieJar } from '../support/cookie-jar';
import { createTestApp, SECRET_A } from '../support/create-test-app';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { ServerSessionController } from './server-session-fixtures';

/**
 * A factory built once, in `forRoot()`'s argument, serves every application made from that
 * module: tests build one per test, and closing one must not break the next.
 */
describe('one RedisSessionFactory in several applications', () => {
  let server: RedisServer;
  let factory: RedisSessionFactory;
  const apps: INestApplication[] = [];

  beforeAll(async () => {
    server = await startRedisServer();
    factory = new RedisSessionFactory({
      redis: { url: server.url, prefix: 'reuse:' },
      secret: SECRET_A,
      cookieName: 'auth',
    });
  }, 60_000);

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await server?.stop();
  });

  async function newApp(): Promise<INestApplication> {
    const app = await createTestApp({
      sessions: [{ namespace: 'auth', factory }],
      controllers: [ServerSessionController],
    });
    apps.push(app);
    return app;
  }

  it('should serve an application built after another one closed', async () => {
    const first = await newApp();
    const jar = new CookieJar().store(
      await request(first.getHttpServer()).post('/s/auth').send({ user: 'ada' }).expect(200),
    );
    await first.close();

    const second = await newApp();
    const res = await request(second.getHttpServer()).get('/s/auth').set('Cookie', jar.header());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ isNew: false, data: { user: 'ada' } });
  });

  it('should keep serving one application when another one sharing the factory closes', async () => {
    const [a, b] = [await newApp(), await newApp()];
    const jar = new CookieJar().store(
      await request(a.getHttpServer()).post('/s/auth').send({ user: 'grace' }).expect(200),
    );
    await a.close();

    const res = await request(b.getHttpServer()).get('/s/auth').set('Cookie', jar.header());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ isNew: false, data: { user: 'grace' } });
  });
});
