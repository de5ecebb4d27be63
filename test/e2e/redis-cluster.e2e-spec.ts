import type { INestApplication } from '@nestjs/common';
import { Cluster } from 'ioredis';
import request from 'supertest';
import { RedisSessionFactory } from '../../src/factories/redis-session.factory';
import { RedisStore } from '../../src/stores/redis.store';
import { storeKey } from '../../src/stores/store-key';
import { createTestApp, SECRET_A, SECRET_B } from '../support/create-test-app';
import { CookieJar, setCookieFor } from '../support/cookie-jar';
import { startRedisCluster, type RedisCluster } from '../support/redis-cluster';
import {
  appCommands,
  idFromCookie,
  redisKeyFor,
  ServerSessionController,
} from './server-session-fixtures';

describe('RedisSessionFactory on a Redis Cluster (3 masters)', () => {
  let cluster: RedisCluster;
  let userClient: Cluster;
  let app: INestApplication;
  const factories: RedisSessionFactory[] = [];

  beforeAll(async () => {
    cluster = await startRedisCluster();
    userClient = new Cluster(cluster.nodes);
    const own = new RedisSessionFactory({
      redis: { cluster: cluster.nodes, prefix: 'auth:' },
      secret: SECRET_A,
      cookieName: 'auth',
    });
    const shared = new RedisSessionFactory({
      redis: userClient,
      secret: SECRET_B,
      cookieName: 'cart',
      setRedisTtlReadheavy: true,
    });
    factories.push(own, shared);
    app = await createTestApp({
      sessions: [
        { namespace: 'auth', factory: own },
        { namespace: 'cart', factory: shared },
      ],
      controllers: [ServerSessionController],
    });
    await Promise.all(factories.map((f) => (f.store as RedisStore<Cluster>).client.ping()));
  }, 90_000);

  afterAll(async () => {
    await app?.close();
    userClient?.disconnect();
    await cluster?.stop();
  });

  const http = () => request(app.getHttpServer());

  describe('when sessions are created', () => {
    it('should spread hashed keys over the masters and read each one back', async () => {
      const jars: CookieJar[] = [];
      for (let i = 0; i < 12; i++) {
        jars.push(new CookieJar().store(await http().post('/s/auth').send({ i }).expect(200)));
      }
      const perNode = await Promise.all(
        cluster.servers.map(async (s) => (await s.command('DBSIZE')).trim()),
      );
      expect(perNode.filter((reply) => reply !== ':0').length).toBeGreaterThanOrEqual(2);
      for (const [i, jar] of jars.entries()) {
        const read = await http().get('/s/auth').set('Cookie', jar.header()).expect(200);
        expect(read.body).toEqual({ isNew: false, data: { i } });
      }
    });
  });

  describe('when an existing session is read and written', () => {
    it('should use single-key commands only: GET + EXPIRE, then GET + a conditional write', async () => {
      const created = await http().post('/s/auth').send({ n: 1 }).expect(200);
      const jar = new CookieJar().store(created);
      await cluster.resetStats();
      await http().get('/s/auth').set('Cookie', jar.header()).expect(200);
      expect(appCommands(await cluster.commandStats())).toEqual({ get: 1, expire: 1 });
      await cluster.resetStats();
      await http().post('/s/auth').set('Cookie', jar.header()).send({ n: 2 }).expect(200);
      // The script's inner GET and SET are counted apart; a first write on a node also loads it.
      const stats = appCommands(await cluster.commandStats());
      expect(stats).toMatchObject({ get: 2, set: 1 });
      expect((stats['evalsha'] ?? 0) + (stats['eval'] ?? 0)).toBeGreaterThanOrEqual(1);
      const read = await http().get('/s/auth').set('Cookie', jar.header()).expect(200);
      expect(read.body.data).toEqual({ n: 2 });
    });
  });

  describe('when a Cluster client is passed in and touchOnRead is on', () => {
    it('should read with GETEX and keep the default key prefix', async () => {
      const created = await http().post('/s/cart').send({ items: 3 }).expect(200);
      const jar = new CookieJar().store(created);
      await cluster.resetStats();
      await http().get('/s/cart').set('Cookie', jar.header()).expect(200);
      expect(appCommands(await cluster.commandStats())).toEqual({ getex: 1 });
      const key = redisKeyFor('session:', idFromCookie(created, 'cart'));
      expect(await cluster.keys()).toContain(key);
    });
  });

  describe('when a session is invalidated and another regenerated', () => {
    it('should delete the records on whichever master holds them', async () => {
      const a = await http().post('/s/auth').send({ user: 'a' }).expect(200);
      const b = await http().post('/s/auth').send({ user: 'b' }).expect(200);
      const keyA = redisKeyFor('auth:', idFromCookie(a, 'auth'));
      const keyB = redisKeyFor('auth:', idFromCookie(b, 'auth'));
      const invalidated = await http()
        .post('/s/auth/invalidate')
        .set('Cookie', new CookieJar().store(a).header())
        .expect(200);
      expect(setCookieFor(invalidated, 'auth')).toMatch(/^auth=; Max-Age=0;/);
      const regenerated = await http()
        .post('/s/auth/regenerate')
        .set('Cookie', new CookieJar().store(b).header())
        .expect(200);
      const keys = await cluster.keys();
      expect(keys).not.toContain(keyA);
      expect(keys).not.toContain(keyB);
      expect(keys).toContain(redisKeyFor('auth:', idFromCookie(regenerated, 'auth')));
    });
  });

  describe('when a store that has not connected yet counts or clears', () => {
    it('should scan every master (length) and remove every record (clear)', async () => {
      const writer = new RedisStore({ cluster: cluster.nodes, prefix: 'fresh:' });
      const keys = Array.from({ length: 30 }, (_, i) => storeKey(`fresh-${i}`));
      await Promise.all(keys.map((key) => writer.set(key, 'v', { ttl: 60 })));
      const counter = new RedisStore({ cluster: cluster.nodes, prefix: 'fresh:' });
      const clearer = new RedisStore({ cluster: cluster.nodes, prefix: 'fresh:' });
      try {
        expect(await counter.length()).toBe(30);
        await clearer.clear();
        expect(await writer.length()).toBe(0);
      } finally {
        await Promise.all([writer.close(), counter.close(), clearer.close()]);
      }
    });
  });

  describe('when the application shuts down', () => {
    it('should close the Cluster connection it opened and leave the passed-in client open', async () => {
      const [own, shared] = factories.map((f) => f.store as RedisStore);
      await app.close();
      // A Cluster reports 'disconnecting' until its node connections have all ended.
      expect(['disconnecting', 'close', 'end']).toContain(own!.client.status);
      expect(shared!.client.status).toBe('ready');
    });
  });
});
