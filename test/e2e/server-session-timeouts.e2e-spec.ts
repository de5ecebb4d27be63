import type { INestApplication } from '@nestjs/common';
import { Redis } from 'ioredis';
import request from 'supertest';
import { RedisSessionFactory } from '../../src/factories/redis-session.factory';
import type { RedisSessionFactoryOptions } from '../../src/factories/redis-session.factory';
import type { InvalidSession } from '../../src/session/invalid-session.errors';
import { createTestApp, SECRET_A } from '../support/create-test-app';
import { CookieJar } from '../support/cookie-jar';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { idFromCookie, redisKeyFor, ServerSessionController } from './server-session-fixtures';

const NAMESPACES: Record<string, Partial<RedisSessionFactoryOptions>> = {
  plain: {},
  short: { timeout: 2 },
  trigger: { timeout: 1200, timeoutTrigger: 600 },
};

describe('ServerSessionFactory timeouts (e2e on Redis)', () => {
  let server: RedisServer;
  let raw: Redis;
  let app: INestApplication;
  const reasons: string[] = [];

  beforeAll(async () => {
    server = await startRedisServer();
    raw = new Redis(server.port, '127.0.0.1');
    app = await createTestApp({
      sessions: Object.entries(NAMESPACES).map(([namespace, options]) => ({
        namespace,
        factory: new RedisSessionFactory({
          redis: { url: server.url, prefix: `${namespace}:` },
          secret: SECRET_A,
          cookieName: namespace,
          onInvalidSession: (_req, reason: InvalidSession) =>
            reasons.push(`${reason.namespace}:${reason.name}`),
          ...options,
        }),
      })),
      controllers: [ServerSessionController],
    });
  }, 60_000);

  beforeEach(() => {
    reasons.length = 0;
  });

  afterAll(async () => {
    await app?.close();
    raw?.disconnect();
    await server?.stop();
  });

  const http = () => request(app.getHttpServer());
  const now = () => Math.floor(Date.now() / 1000);

  async function seed(ns: string): Promise<{ jar: CookieJar; key: string }> {
    const res = await http().post(`/s/${ns}`).send({ user: 'ada' }).expect(200);
    return { jar: new CookieJar().store(res), key: redisKeyFor(`${ns}:`, idFromCookie(res, ns)) };
  }

  describe('when a session is idle longer than its timeout (store TTL)', () => {
    it('should be gone, and the visitor gets a new session', async () => {
      const { jar, key } = await seed('short');
      expect(await raw.ttl(key)).toBeLessThanOrEqual(2);
      await new Promise((r) => setTimeout(r, 2600));
      const res = await http().get('/s/short').set('Cookie', jar.header()).expect(200);
      expect(res.body).toEqual({ isNew: true, data: {} });
      expect(reasons).toEqual(['short:InvalidSessionNotInStore']);
    });
  });

  describe('when the expiry inside the payload has passed', () => {
    it('should refuse the session, report InvalidSessionTimeout and delete the record', async () => {
      const { jar, key } = await seed('trigger');
      const payload = JSON.parse((await raw.get(key))!) as { x: number };
      payload.x = now() - 1;
      await raw.set(key, JSON.stringify(payload), 'KEEPTTL');
      const res = await http().get('/s/trigger').set('Cookie', jar.header()).expect(200);
      expect(res.body).toEqual({ isNew: true, data: {} });
      expect(reasons).toEqual(['trigger:InvalidSessionTimeout']);
      expect(await raw.exists(key)).toBe(0);
    });
  });

  describe('when timeoutTrigger is set and a read comes before the window', () => {
    it('should leave the Redis TTL alone (no EXPIRE)', async () => {
      const { jar, key } = await seed('trigger');
      await raw.expire(key, 900);
      await http().get('/s/trigger').set('Cookie', jar.header()).expect(200);
      expect(await raw.ttl(key)).toBeLessThanOrEqual(900);
    });
  });

  describe('when timeoutTrigger is set and a read comes inside the window', () => {
    it('should move x and the TTL together to now + timeout', async () => {
      const { jar, key } = await seed('trigger');
      const payload = JSON.parse((await raw.get(key))!) as { x: number };
      payload.x = now() + 60;
      await raw.set(key, JSON.stringify(payload), 'EX', '60');
      await http().get('/s/trigger').set('Cookie', jar.header()).expect(200);
      const moved = JSON.parse((await raw.get(key))!) as { x: number };
      expect(moved.x).toBeGreaterThanOrEqual(now() + 1199);
      expect(await raw.ttl(key)).toBeGreaterThan(1190);
    });
  });

  describe('when adjustTimeout() is called', () => {
    it('should store t, set the TTL to it, and refresh to it on later reads', async () => {
      const { jar, key } = await seed('plain');
      await http().post('/s/plain/timeout/86400').set('Cookie', jar.header()).expect(200);
      expect(JSON.parse((await raw.get(key))!)).toMatchObject({ t: 86400 });
      expect(await raw.ttl(key)).toBeGreaterThan(86000);
      await raw.expire(key, 100);
      await http().get('/s/plain').set('Cookie', jar.header()).expect(200);
      expect(await raw.ttl(key)).toBeGreaterThan(86000);
    });
  });

  describe('when adjustExpires() is called', () => {
    it('should store x and never let a refresh push the TTL past it', async () => {
      const { jar, key } = await seed('plain');
      const expires = now() + 300;
      await http().post(`/s/plain/expires/${expires}`).set('Cookie', jar.header()).expect(200);
      expect(JSON.parse((await raw.get(key))!)).toMatchObject({ x: expires });
      await http().get('/s/plain').set('Cookie', jar.header()).expect(200);
      expect(await raw.ttl(key)).toBeLessThanOrEqual(300);
    });
  });
});
