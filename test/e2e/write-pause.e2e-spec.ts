import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { RedisSessionFactory } from '../../src/factories/redis-session.factory';
import { CookieJar } from '../support/cookie-jar';
import { createTestApp, SECRET_A } from '../support/create-test-app';
import { LogCapture } from '../support/log-capture';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { ServerSessionController } from './server-session-fixtures';

/** The store's deadline: far below the pause, so a blocked call fails fast. */
const COMMAND_TIMEOUT_MS = 500;
const UNAVAILABLE = 'is unavailable';

describe('RedisSessionFactory during CLIENT PAUSE WRITE', () => {
  let server: RedisServer;
  let app: INestApplication;
  const logs = new LogCapture();

  beforeAll(async () => {
    server = await startRedisServer();
    app = await createTestApp({
      sessions: [
        {
          namespace: 'auth',
          // Defaults: a read of an existing session sends GET + EXPIRE.
          factory: new RedisSessionFactory({
            redis: { url: server.url, prefix: 'auth:', commandTimeout: COMMAND_TIMEOUT_MS },
            secret: SECRET_A,
            cookieName: 'auth',
          }),
        },
      ],
      controllers: [ServerSessionController],
      configure: (a) => a.useLogger(logs),
    });
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await server?.stop();
  });

  const http = () => request(app.getHttpServer());

  async function seed(): Promise<string> {
    const res = await http().post('/s/auth').send({ user: 'ada' }).expect(200);
    return new CookieJar().store(res).header();
  }

  /** Runs `during` while Redis refuses writes for 3 s; unpauses whatever happens. */
  async function paused<T>(during: () => Promise<T>): Promise<T> {
    expect(await server.command('CLIENT', 'PAUSE', '3000', 'WRITE')).toBe('+OK\r\n');
    try {
      return await during();
    } finally {
      await server.command('CLIENT', 'UNPAUSE');
      // Let the calls queued behind the pause drain before the next test.
      await http().get('/none');
    }
  }

  describe('when a read-only request needs an EXPIRE that Redis holds back', () => {
    it('should answer 200 with the data, within the deadline, and log the outage once', async () => {
      const cookie = await seed();
      logs.clear();
      const started = Date.now();
      const res = await paused(() => http().get('/s/auth').set('Cookie', cookie));
      const elapsed = Date.now() - started;
      console.log(
        `write-pause read: status=${res.status} elapsed=${elapsed} ms outage warnings=${logs.at('warn').filter((l) => l.includes(UNAVAILABLE)).length}`,
      );
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ isNew: false, data: { user: 'ada' } });
      expect(elapsed).toBeLessThan(2500);
      expect(logs.at('warn').filter((l) => l.includes(UNAVAILABLE))).toHaveLength(1);
    });
  });

  describe('when a request changes the session while Redis holds writes back', () => {
    it('should answer 503', async () => {
      const cookie = await seed();
      const started = Date.now();
      const res = await paused(() =>
        http().post('/s/auth').set('Cookie', cookie).send({ cart: 1 }),
      );
      const elapsed = Date.now() - started;
      console.log(`write-pause write: status=${res.status} elapsed=${elapsed} ms`);
      expect(res.status).toBe(503);
      expect(elapsed).toBeLessThan(2500);
    });
  });
});
