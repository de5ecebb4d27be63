import type { INestApplication } from '@nestjs/common';
import { Redis } from 'ioredis';
import request from 'supertest';
import { RedisSessionFactory } from '../../src/factories/redis-session.factory';
import type { InvalidSession } from '../../src/session/invalid-session.errors';
import { createTestApp, SECRET_A } from '../support/create-test-app';
import { CookieJar, setCookieFor } from '../support/cookie-jar';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { idFromCookie, redisKeyFor, ServerSessionController } from './server-session-fixtures';

describe('ServerSessionFactory invalid sessions (e2e on Redis)', () => {
  let server: RedisServer;
  let raw: Redis;
  let app: INestApplication;
  const reasons: string[] = [];

  beforeAll(async () => {
    server = await startRedisServer();
    raw = new Redis(server.port, '127.0.0.1');
    const hook = (_req: unknown, reason: InvalidSession) =>
      reasons.push(`${reason.namespace}:${reason.name}`);
    app = await createTestApp({
      sessions: [
        {
          namespace: 'lenient',
          factory: new RedisSessionFactory({
            redis: { url: server.url, prefix: 'lenient:' },
            secret: SECRET_A,
            cookieName: 'lenient',
            onInvalidSession: hook,
          }),
        },
        {
          namespace: 'strict',
          factory: new RedisSessionFactory({
            redis: { url: server.url, prefix: 'strict:' },
            secret: SECRET_A,
            cookieName: 'strict',
            deserializedFailsNew: false,
            reportMissingCookie: true,
            onInvalidSession: hook,
          }),
        },
      ],
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

  async function seed(ns: string): Promise<{ jar: CookieJar; key: string }> {
    const res = await http().post(`/s/${ns}`).send({ user: 'ada' }).expect(200);
    reasons.length = 0;
    return { jar: new CookieJar().store(res), key: redisKeyFor(`${ns}:`, idFromCookie(res, ns)) };
  }

  describe('when a visitor has no cookie', () => {
    it('should not fire the hook by default', async () => {
      await http().get('/s/lenient').expect(200);
      expect(reasons).toEqual([]);
    });

    it('should report InvalidSessionNoCookie with reportMissingCookie', async () => {
      await http().get('/s/strict').expect(200);
      expect(reasons).toEqual(['strict:InvalidSessionNoCookie']);
    });
  });

  describe('when the cookie was tampered with', () => {
    it('should report InvalidSessionSignature, serve a new session and clear the cookie', async () => {
      const { jar } = await seed('lenient');
      const tampered = jar.get('lenient')!.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
      const res = await http().get('/s/lenient').set('Cookie', `lenient=${tampered}`).expect(200);
      expect(res.body).toEqual({ isNew: true, data: {} });
      expect(reasons).toEqual(['lenient:InvalidSessionSignature']);
      expect(setCookieFor(res, 'lenient')).toMatch(/^lenient=; Max-Age=0;/);
    });
  });

  describe('when the record is gone from Redis', () => {
    it('should report InvalidSessionNotInStore and create no record', async () => {
      const { jar, key } = await seed('lenient');
      await raw.del(key);
      const keysBefore = await raw.dbsize();
      await http().get('/s/lenient').set('Cookie', jar.header()).expect(200);
      expect(reasons).toEqual(['lenient:InvalidSessionNotInStore']);
      expect(await raw.dbsize()).toBe(keysBefore);
    });
  });

  describe('when a raw client wrote a corrupt payload', () => {
    it('should serve a new session with deserializedFailsNew (default)', async () => {
      const { jar, key } = await seed('lenient');
      await raw.set(key, '\u0000not json at all', 'KEEPTTL');
      const res = await http().get('/s/lenient').set('Cookie', jar.header()).expect(200);
      expect(res.body).toEqual({ isNew: true, data: {} });
      expect(reasons).toEqual(['lenient:InvalidSessionDeserialization']);
    });

    it('should fail the request with 500 (RawDeserializationError) when deserializedFailsNew is false', async () => {
      const { jar, key } = await seed('strict');
      await raw.set(key, '{"m": [broken', 'KEEPTTL');
      await http().get('/s/strict').set('Cookie', jar.header()).expect(500);
      expect(reasons).toEqual([]);
    });
  });

  describe('when the payload is in the pyramid 1.2 format', () => {
    it('should report InvalidSessionLegacyPayload and serve a new session', async () => {
      const { jar, key } = await seed('strict');
      await raw.set(
        key,
        JSON.stringify({ managed_dict: { user: 'ada' }, created: 1, timeout: 1200 }),
        'KEEPTTL',
      );
      const res = await http().get('/s/strict').set('Cookie', jar.header()).expect(200);
      expect(res.body).toEqual({ isNew: true, data: {} });
      expect(reasons).toEqual(['strict:InvalidSessionLegacyPayload']);
    });
  });
});
