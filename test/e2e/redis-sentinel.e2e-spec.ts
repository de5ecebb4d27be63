import type { INestApplication } from '@nestjs/common';
import type { Redis } from 'ioredis';
import request from 'supertest';
import { RedisSessionFactory } from '../../src/factories/redis-session.factory';
import type { RedisStore } from '../../src/stores/redis.store';
import { createTestApp, SECRET_A } from '../support/create-test-app';
import { CookieJar, setCookieFor } from '../support/cookie-jar';
import { startRedisSentinel, type RedisSentinelSetup } from '../support/redis-sentinel';
import {
  appCommands,
  idFromCookie,
  redisKeyFor,
  ServerSessionController,
} from './server-session-fixtures';

describe('RedisSessionFactory through Sentinel (master, replica, 3 sentinels)', () => {
  let setup: RedisSentinelSetup;
  let app: INestApplication;
  let factory: RedisSessionFactory;

  beforeAll(async () => {
    setup = await startRedisSentinel();
    factory = new RedisSessionFactory({
      redis: {
        sentinels: setup.sentinels,
        name: setup.masterName,
        prefix: 'auth:',
        commandTimeout: 5000,
        // One replica: after a failover the new master has none until Sentinel re-attaches the old
        // one, so WAIT would refuse every write for seconds. This suite checks routing; the
        // replication guarantee has its own drill (redis-sentinel-drill).
        replicas: false,
      },
      secret: SECRET_A,
      cookieName: 'auth',
    });
    app = await createTestApp({
      sessions: [{ namespace: 'auth', factory }],
      controllers: [ServerSessionController],
    });
    await (factory.store as RedisStore<Redis>).client.ping();
  }, 90_000);

  afterAll(async () => {
    await app?.close();
    await setup?.stop();
  });

  const http = () => request(app.getHttpServer());

  describe('when a session is created, read, written and invalidated', () => {
    it('should keep it on the current master with the usual commands', async () => {
      const master = await setup.currentMaster();
      const created = await http().post('/s/auth').send({ user: 'ada' }).expect(200);
      const jar = new CookieJar().store(created);
      const key = redisKeyFor('auth:', idFromCookie(created, 'auth'));
      expect((await master.command('EXISTS', key)).trim()).toBe(':1');
      await master.resetStats();
      const read = await http().get('/s/auth').set('Cookie', jar.header()).expect(200);
      expect(read.body).toEqual({ isNew: false, data: { user: 'ada' } });
      expect(appCommands(await master.commandStats())).toEqual({ get: 1, expire: 1 });
      await http().post('/s/auth').set('Cookie', jar.header()).send({ user: 'grace' }).expect(200);
      expect((await http().get('/s/auth').set('Cookie', jar.header())).body.data).toEqual({
        user: 'grace',
      });
      const invalidated = await http()
        .post('/s/auth/invalidate')
        .set('Cookie', jar.header())
        .expect(200);
      expect(setCookieFor(invalidated, 'auth')).toMatch(/^auth=; Max-Age=0;/);
      expect((await master.command('EXISTS', key)).trim()).toBe(':0');
    });
  });

  describe('when the sentinels fail over to the replica', () => {
    it('should keep serving replicated sessions and write to the new master', async () => {
      const before = await setup.currentMaster();
      const created = await http().post('/s/auth').send({ user: 'ada' }).expect(200);
      const jar = new CookieJar().store(created);
      const key = redisKeyFor('auth:', idFromCookie(created, 'auth'));
      // Replication is asynchronous: wait until the replica has the session before failing over.
      expect((await before.command('WAIT', '1', '5000')).trim()).toBe(':1');
      const after = await setup.failover();
      expect(after).not.toBe(before);
      let read: request.Response | undefined;
      for (let attempt = 0; attempt < 20; attempt++) {
        read = await http().get('/s/auth').set('Cookie', jar.header());
        if (read.status === 200) {
          break;
        }
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(read?.body).toEqual({ isNew: false, data: { user: 'ada' } });
      await http().post('/s/auth').set('Cookie', jar.header()).send({ user: 'grace' }).expect(200);
      expect(JSON.parse(bulk(await after.command('GET', key)))).toMatchObject({
        m: { user: 'grace' },
      });
    }, 40000);
  });
});

/** The text of a RESP bulk-string reply ("$n\r\n<text>\r\n"). */
function bulk(reply: string): string {
  const start = reply.indexOf('\r\n') + 2;
  return reply.slice(start, reply.length - 2);
}
