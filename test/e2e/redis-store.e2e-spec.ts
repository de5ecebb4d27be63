import type { INestApplication } from '@nestjs/common';
import { Redis } from 'ioredis';
import request from 'supertest';
import { RedisSessionFactory } from '../../src/factories/redis-session.factory';
import { ADAPTERS, createTestApp, SECRET_A, SECRET_B } from '../support/create-test-app';
import { CookieJar, cookieValue, setCookieFor, setCookies } from '../support/cookie-jar';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { idFromCookie, redisKeyFor, ServerSessionController } from './server-session-fixtures';

describe.each(ADAPTERS)('RedisSessionFactory (e2e through a Nest app) on %s', (adapter) => {
  let main: RedisServer;
  let other: RedisServer;
  let rawMain: Redis;
  let rawOther: Redis;
  let app: INestApplication;

  beforeAll(async () => {
    [main, other] = await Promise.all([startRedisServer(), startRedisServer()]);
    rawMain = new Redis(main.port, '127.0.0.1');
    rawOther = new Redis(other.port, '127.0.0.1');
    app = await createTestApp({
      adapter,
      sessions: [
        {
          namespace: 'auth',
          factory: new RedisSessionFactory({
            redis: { url: main.url, prefix: 'auth:' },
            secret: [SECRET_A, SECRET_B],
            cookieName: 'auth',
          }),
        },
        {
          namespace: 'cart',
          factory: new RedisSessionFactory({
            redis: { url: other.url, prefix: 'cart:' },
            secret: SECRET_B,
            cookieName: 'cart',
            cookieOnException: false,
            allowCookies: (req) => req.headers['x-no-cookies'] === undefined,
          }),
        },
      ],
      controllers: [ServerSessionController],
    });
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    rawMain?.disconnect();
    rawOther?.disconnect();
    await Promise.all([main?.stop(), other?.stop()]);
  });

  const http = () => request(app.getHttpServer());

  async function create(ns: string, data: Record<string, unknown>): Promise<CookieJar> {
    const res = await http().post(`/s/${ns}`).send(data).expect(200);
    return new CookieJar().store(res);
  }

  describe('when a session is created, then read on the next request', () => {
    it('should return the data written (read-your-writes) with a TTL on the key', async () => {
      const res = await http().post('/s/auth').send({ user: 'ada' }).expect(200);
      expect(setCookieFor(res, 'auth')).toMatch(/^auth=[^;]+; Path=\/; HttpOnly; SameSite=Lax$/);
      const key = redisKeyFor('auth:', idFromCookie(res, 'auth'));
      expect(await rawMain.ttl(key)).toBeGreaterThan(1190);
      const jar = new CookieJar().store(res);
      const read = await http().get('/s/auth').set('Cookie', jar.header()).expect(200);
      expect(read.body).toEqual({ isNew: false, data: { user: 'ada' } });
      expect(setCookies(read)).toEqual([]);
    });
  });

  describe('when each namespace has its own Redis server', () => {
    it('should keep each namespace on its own connection', async () => {
      const cart = await create('cart', { items: 2 });
      const auth = await create('auth', { user: 'grace' });
      const cartKeys = await rawOther.keys('*');
      const authKeys = await rawMain.keys('*');
      expect(cartKeys.every((k) => k.startsWith('cart:'))).toBe(true);
      expect(authKeys.every((k) => k.startsWith('auth:'))).toBe(true);
      const both = `${cart.header()}; ${auth.header()}`;
      expect((await http().get('/s/cart').set('Cookie', both)).body.data).toEqual({ items: 2 });
      expect((await http().get('/s/auth').set('Cookie', both)).body.data).toEqual({
        user: 'grace',
      });
    });
  });

  describe('when an existing session is written', () => {
    it('should keep the cookie and store the change, including a nested mutation', async () => {
      const jar = await create('auth', { list: ['a'] });
      const push = await http().post('/s/auth/push/list').set('Cookie', jar.header()).expect(200);
      expect(setCookies(push)).toEqual([]);
      const read = await http().get('/s/auth').set('Cookie', jar.header()).expect(200);
      expect(read.body.data).toEqual({ list: ['a', 'more'] });
    });
  });

  describe('when invalidate() is called', () => {
    it('should delete the record, clear the cookie, and refuse a replay of the old cookie', async () => {
      const created = await http().post('/s/auth').send({ user: 'ada' }).expect(200);
      const jar = new CookieJar().store(created);
      const key = redisKeyFor('auth:', idFromCookie(created, 'auth'));
      const res = await http().post('/s/auth/invalidate').set('Cookie', jar.header()).expect(200);
      expect(setCookieFor(res, 'auth')).toMatch(
        /^auth=; Max-Age=0; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax$/,
      );
      expect(await rawMain.exists(key)).toBe(0);
      const replay = await http().get('/s/auth').set('Cookie', jar.header()).expect(200);
      expect(replay.body).toEqual({ isNew: true, data: {} });
    });
  });

  describe('when regenerate() is called', () => {
    it('should move the data to a new id, delete the old record and re-issue the cookie', async () => {
      const created = await http().post('/s/auth').send({ user: 'ada' }).expect(200);
      const jar = new CookieJar().store(created);
      const oldKey = redisKeyFor('auth:', idFromCookie(created, 'auth'));
      const res = await http().post('/s/auth/regenerate').set('Cookie', jar.header()).expect(200);
      const newKey = redisKeyFor('auth:', idFromCookie(res, 'auth'));
      expect(newKey).not.toBe(oldKey);
      expect(await rawMain.exists(oldKey)).toBe(0);
      expect(await rawMain.exists(newKey)).toBe(1);
      const old = await http().get('/s/auth').set('Cookie', jar.header()).expect(200);
      expect(old.body.isNew).toBe(true);
      jar.store(res);
      const read = await http().get('/s/auth').set('Cookie', jar.header()).expect(200);
      expect(read.body).toEqual({ isNew: false, data: { user: 'ada' } });
    });
  });

  describe('when req.sessionMulti.regenerateAll() runs at login', () => {
    it('should give every namespace holding data a new id and leave empty ones alone', async () => {
      const auth = await http().post('/s/auth').send({ user: 'ada' }).expect(200);
      const cart = await http().post('/s/cart').send({ items: 1 }).expect(200);
      const jar = new CookieJar().store(auth).store(cart);
      const before = { auth: jar.get('auth'), cart: jar.get('cart') };
      const login = await http().post('/login').set('Cookie', jar.header()).expect(200);
      expect(
        setCookies(login)
          .map((c) => c.split('=')[0])
          .sort(),
      ).toEqual(['auth', 'cart']);
      jar.store(login);
      expect(jar.get('auth')).not.toBe(before.auth);
      expect(jar.get('cart')).not.toBe(before.cart);
      expect((await http().get('/s/cart').set('Cookie', jar.header())).body.data).toEqual({
        items: 1,
      });
      const fresh = await http().post('/login').expect(200);
      expect(setCookies(fresh)).toEqual([]);
    });
  });

  describe('when ensureId() is called on a new session', () => {
    it('should create the record during the request and send the cookie once', async () => {
      const res = await http().post('/s/auth/ensure').send({ a: 1 }).expect(200);
      expect(res.body.idLength).toBe(43);
      expect(setCookies(res)).toHaveLength(1);
      const key = redisKeyFor('auth:', idFromCookie(res, 'auth'));
      expect(JSON.parse((await rawMain.get(key))!)).toMatchObject({ m: { a: 1 } });
    });

    it('should leave no record behind when the session stays empty', async () => {
      const keysBefore = await rawMain.dbsize();
      const res = await http().post('/s/auth/ensure').send({}).expect(200);
      expect(res.body.idLength).toBe(43);
      expect(setCookies(res)).toEqual([]);
      expect(await rawMain.dbsize()).toBe(keysBefore);
    });
  });

  describe('when a session is emptied', () => {
    it('should delete its record and clear the cookie', async () => {
      const created = await http().post('/s/auth').send({ user: 'ada' }).expect(200);
      const key = redisKeyFor('auth:', idFromCookie(created, 'auth'));
      const jar = new CookieJar().store(created);
      const res = await http().post('/s/auth/clear').set('Cookie', jar.header()).expect(200);
      expect(setCookieFor(res, 'auth')).toMatch(/^auth=; Max-Age=0;/);
      expect(await rawMain.exists(key)).toBe(0);
    });
  });

  describe('when the handler throws after writing and cookieOnException is false', () => {
    it('should write nothing to Redis and send no cookie', async () => {
      const keysBefore = await rawOther.dbsize();
      const res = await http().post('/s/cart/fail').send({ items: 9 }).expect(503);
      expect(setCookies(res)).toEqual([]);
      expect(await rawOther.dbsize()).toBe(keysBefore);
    });
  });

  describe('when the handler throws after writing and cookieOnException is true (default)', () => {
    it('should save the session and send its cookie', async () => {
      const res = await http().post('/s/auth/fail').send({ user: 'ada' }).expect(503);
      const key = redisKeyFor('auth:', idFromCookie(res, 'auth'));
      expect(await rawMain.exists(key)).toBe(1);
    });
  });

  describe('when allowCookies vetoes the response', () => {
    it('should write nothing to Redis (no orphan key)', async () => {
      const keysBefore = await rawOther.dbsize();
      const res = await http()
        .post('/s/cart')
        .set('X-No-Cookies', '1')
        .send({ items: 3 })
        .expect(200);
      expect(setCookies(res)).toEqual([]);
      expect(await rawOther.dbsize()).toBe(keysBefore);
    });
  });

  describe('when the cookie was signed by the older of two secrets', () => {
    it('should accept it and re-issue it under the newest secret on a read', async () => {
      const legacy = await createTestApp({
        adapter,
        sessions: [
          {
            namespace: 'auth',
            factory: new RedisSessionFactory({
              redis: { url: main.url, prefix: 'auth:' },
              secret: SECRET_B,
              cookieName: 'auth',
            }),
          },
        ],
        controllers: [ServerSessionController],
      });
      try {
        const created = await request(legacy.getHttpServer())
          .post('/s/auth')
          .send({ user: 'old' })
          .expect(200);
        const jar = new CookieJar().store(created);
        const read = await http().get('/s/auth').set('Cookie', jar.header()).expect(200);
        expect(read.body).toEqual({ isNew: false, data: { user: 'old' } });
        const reissued = cookieValue(read, 'auth');
        expect(reissued).not.toBe(jar.get('auth'));
        expect(idFromCookie(read, 'auth')).toBe(idFromCookie(created, 'auth'));
      } finally {
        await legacy.close();
      }
    });
  });
});
