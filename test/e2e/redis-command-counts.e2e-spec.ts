import type { INestApplication } from '@nestjs/common';
import { Redis } from 'ioredis';
import request from 'supertest';
import { RedisSessionFactory } from '../../src/factories/redis-session.factory';
import type { RedisSessionFactoryOptions } from '../../src/factories/redis-session.factory';
import { createClient, type RedisClientType } from 'redis';
import { RedisStore, type RedisStoreClient } from '../../src/stores/redis.store';
import { createTestApp, SECRET_A } from '../support/create-test-app';
import { CookieJar, setCookieFor, setCookies } from '../support/cookie-jar';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import {
  appCommands,
  idFromCookie,
  NOT_APP_COMMANDS,
  redisKeyFor,
  ServerSessionController,
} from './server-session-fixtures';

/** Namespace → its options beyond the defaults; the cookie name and prefix follow the name. */
/** GET, then one EVALSHA round trip (its inner GET and SET counted apart by commandstats). */
const CONDITIONAL_WRITE = { get: 2, evalsha: 1, set: 1 };

/**
 * The slow log of a read-then-write: the app's GET, then its one EVALSHA, logged after the GET
 * and the `SET key value EX 1200` the script ran inside Redis.
 */
function expectConditionalWrite(commands: string[][], key: string): void {
  expect(commands.map((c) => c[0])).toEqual(['get', 'get', 'set', 'evalsha']);
  expect(commands[0]).toEqual(['get', key]);
  expect(commands[2]).toEqual(['set', key, expect.any(String), 'EX', '1200']);
  expect(commands[3]![3]).toBe(key);
}

const NAMESPACES: Record<string, Partial<RedisSessionFactoryOptions>> = {
  plain: {},
  trigger: { timeout: 1200, timeoutTrigger: 600 },
  readheavy: { setRedisTtlReadheavy: true },
  lru: { setRedisTtl: false },
};

/** Either library's client: both have `exists(key)`. */
type WarmableClient = RedisStoreClient & { exists(key: string): Promise<unknown> };

/** A Redis-side record of what one measured request did. */
interface Measured {
  /** `INFO commandstats` calls of the application's commands. */
  stats: Record<string, number>;
  /** The application's commands with their arguments, in order (SLOWLOG with threshold 0). */
  commands: string[][];
  res: request.Response;
}

/**
 * The counts are the library's, whichever client carries them: the store's own ioredis
 * connections, or one node-redis client the application passes in and shares between namespaces.
 */
describe.each(['ioredis', 'node-redis'] as const)(
  'RedisSessionFactory command counts (INFO commandstats), %s',
  (clientLibrary) => {
    let server: RedisServer;
    let inspector: Redis;
    let app: INestApplication;
    let nodeClient: RedisClientType | undefined;
    const factories: RedisSessionFactory[] = [];

    beforeAll(async () => {
      server = await startRedisServer();
      inspector = new Redis(server.port, '127.0.0.1');
      await inspector.call('CONFIG', 'SET', 'slowlog-log-slower-than', '0');
      await inspector.call('CONFIG', 'SET', 'slowlog-max-len', '1024');
      if (clientLibrary === 'node-redis') {
        nodeClient = createClient({ url: server.url });
        await nodeClient.connect();
      }
      app = await createTestApp({
        sessions: Object.entries(NAMESPACES).map(([namespace, options]) => {
          const factory = new RedisSessionFactory({
            redis:
              nodeClient === undefined
                ? { url: server.url, prefix: `${namespace}:` }
                : new RedisStore({ client: nodeClient, prefix: `${namespace}:` }),
            secret: SECRET_A,
            cookieName: namespace,
            ...options,
          });
          factories.push(factory);
          return { namespace, factory };
        }),
        controllers: [ServerSessionController],
      });
      // Connect every namespace's own client now, so no handshake falls inside a measurement,
      // and load the conditional-write script (a first write on a connection loads it once).
      await Promise.all(
        factories.map((f) => (f.store as RedisStore<WarmableClient>).client.exists('warm-up')),
      );
      for (const ns of Object.keys(NAMESPACES)) {
        const warm = await request(app.getHttpServer()).post(`/s/${ns}`).send({ n: 0 });
        await request(app.getHttpServer())
          .post(`/s/${ns}`)
          .set('Cookie', new CookieJar().store(warm).header())
          .send({ n: 1 });
      }
    }, 60_000);

    afterAll(async () => {
      await app?.close();
      await nodeClient?.quit();
      inspector?.disconnect();
      await server?.stop();
    });

    const http = () => request(app.getHttpServer());

    async function measure(run: () => Promise<request.Response>): Promise<Measured> {
      await server.resetStats();
      await inspector.call('SLOWLOG', 'RESET');
      const res = await run();
      const stats = appCommands(await server.commandStats());
      const log = (await inspector.call('SLOWLOG', 'GET', '1024')) as [
        number,
        number,
        number,
        string[],
      ][];
      const commands = log
        .reverse()
        // ioredis sends command names in lower case, node-redis in upper case.
        .map(([, , , [name, ...args]]) => [name!.toLowerCase(), ...args])
        .filter((args) => !NOT_APP_COMMANDS.has(args[0]!.toLowerCase()));
      return { stats, commands, res };
    }

    /** A stored session in `ns` holding { n: 1 }; returns its cookie jar and Redis key. */
    async function seed(ns: string): Promise<{ jar: CookieJar; key: string }> {
      const res = await http().post(`/s/${ns}`).send({ n: 1 }).expect(200);
      return { jar: new CookieJar().store(res), key: redisKeyFor(`${ns}:`, idFromCookie(res, ns)) };
    }

    describe('when the request does not touch the namespace', () => {
      it('should send 0 commands, even with every cookie present', async () => {
        const jars = await Promise.all(Object.keys(NAMESPACES).map((ns) => seed(ns)));
        const cookie = jars.map(({ jar }) => jar.header()).join('; ');
        const { stats, res } = await measure(() => http().get('/none').set('Cookie', cookie));
        expect(stats).toEqual({});
        expect(setCookies(res)).toEqual([]);
      });
    });

    describe('when a new session is read and nothing is written', () => {
      it('should send 0 commands and no cookie', async () => {
        const { stats, res } = await measure(() => http().get('/s/plain').expect(200));
        expect(stats).toEqual({});
        expect(setCookies(res)).toEqual([]);
      });
    });

    describe('when a new session gets data', () => {
      it('should send exactly 1 command: SET key value EX t NX', async () => {
        const { stats, commands, res } = await measure(() =>
          http().post('/s/plain').send({ n: 1 }).expect(200),
        );
        expect(stats).toEqual({ set: 1 });
        const key = redisKeyFor('plain:', idFromCookie(res, 'plain'));
        expect(commands).toEqual([['set', key, expect.any(String), 'EX', '1200', 'NX']]);
        expect(JSON.parse(commands[0]![2]!)).toMatchObject({ m: { n: 1 }, v: 1 });
      });
    });

    describe('when an existing session is read with timeoutTrigger, before the window', () => {
      it('should send 1 command (GET) and no EXPIRE', async () => {
        const { jar, key } = await seed('trigger');
        const { stats, commands } = await measure(() =>
          http().get('/s/trigger').set('Cookie', jar.header()).expect(200),
        );
        expect(stats).toEqual({ get: 1 });
        expect(commands).toEqual([['get', key]]);
      });
    });

    describe('when an existing session is read inside the trigger window', () => {
      it('should send 2 commands (GET, SET with x moved to now + timeout)', async () => {
        const { jar, key } = await seed('trigger');
        const payload = JSON.parse((await inspector.get(key))!) as { x: number };
        const now = Math.floor(Date.now() / 1000);
        payload.x = now + 100;
        await inspector.set(key, JSON.stringify(payload), 'KEEPTTL');
        const { stats, commands } = await measure(() =>
          http().get('/s/trigger').set('Cookie', jar.header()).expect(200),
        );
        // Two round trips: GET, then the conditional write (one EVALSHA whose GET and SET run
        // inside Redis and are counted apart by commandstats).
        expect(stats).toEqual(CONDITIONAL_WRITE);
        expectConditionalWrite(commands, key);
        const rewritten = JSON.parse((await inspector.get(key))!) as { x: number };
        expect(rewritten.x).toBeGreaterThanOrEqual(now + 1200);
      });
    });

    describe('when an existing session is read in TTL refresh mode (setRedisTtlReadheavy)', () => {
      it('should send 1 round trip: GETEX key EX t', async () => {
        const { jar, key } = await seed('readheavy');
        const { stats, commands } = await measure(() =>
          http().get('/s/readheavy').set('Cookie', jar.header()).expect(200),
        );
        expect(stats).toEqual({ getex: 1 });
        expect(commands).toEqual([['getex', key, 'EX', '1200']]);
      });
    });

    describe('when an existing session is read with the defaults', () => {
      it('should send GET then EXPIRE (2 at most) and never rewrite the payload', async () => {
        const { jar, key } = await seed('plain');
        const { stats, commands, res } = await measure(() =>
          http().get('/s/plain').set('Cookie', jar.header()).expect(200),
        );
        expect(stats).toEqual({ get: 1, expire: 1 });
        expect(commands).toEqual([
          ['get', key],
          ['expire', key, '1200'],
        ]);
        expect(res.body).toEqual({ isNew: false, data: { n: 1 } });
        expect(setCookies(res)).toEqual([]);
      });
    });

    describe('when an existing session is written', () => {
      it('should send 2 commands (GET, SET key value EX t)', async () => {
        const { jar, key } = await seed('plain');
        const { stats, commands } = await measure(() =>
          http().post('/s/plain').set('Cookie', jar.header()).send({ n: 2 }).expect(200),
        );
        expect(stats).toEqual(CONDITIONAL_WRITE);
        expectConditionalWrite(commands, key);
      });
    });

    describe('when invalidate() is called on an existing session', () => {
      it('should send 2 commands (GET, DEL) and clear the cookie', async () => {
        const { jar, key } = await seed('plain');
        const { stats, commands, res } = await measure(() =>
          http().post('/s/plain/invalidate').set('Cookie', jar.header()).expect(200),
        );
        expect(stats).toEqual({ get: 1, del: 1 });
        expect(commands).toEqual([
          ['get', key],
          ['del', key],
        ]);
        expect(setCookieFor(res, 'plain')).toMatch(
          /^plain=; Max-Age=0; Path=\/; Expires=Thu, 01 Jan 1970/,
        );
        expect(await inspector.exists(key)).toBe(0);
      });
    });

    describe('when the store keeps no TTL (LRU mode, setRedisTtl: false)', () => {
      it('should never set a TTL nor send EXPIRE, on create, read, write and in the trigger window', async () => {
        const created = await measure(() => http().post('/s/lru').send({ n: 1 }).expect(200));
        const key = redisKeyFor('lru:', idFromCookie(created.res, 'lru'));
        const jar = new CookieJar().store(created.res);
        expect(created.commands).toEqual([['set', key, expect.any(String), 'NX']]);
        expect(await inspector.ttl(key)).toBe(-1);
        const read = await measure(() =>
          http().get('/s/lru').set('Cookie', jar.header()).expect(200),
        );
        expect(read.stats).toEqual({ get: 1 });
        const written = await measure(() =>
          http().post('/s/lru').set('Cookie', jar.header()).send({ n: 2 }).expect(200),
        );
        expect(written.stats).toEqual(CONDITIONAL_WRITE);
        const payload = JSON.parse((await inspector.get(key))!) as { x: number };
        payload.x = Math.floor(Date.now() / 1000) + 10;
        await inspector.set(key, JSON.stringify(payload));
        const refreshed = await measure(() =>
          http().get('/s/lru').set('Cookie', jar.header()).expect(200),
        );
        expect(refreshed.stats).toEqual(CONDITIONAL_WRITE);
        for (const command of [...written.commands, ...refreshed.commands]) {
          expect(command).not.toContain('EX');
        }
        expect(await inspector.ttl(key)).toBe(-1);
      });
    });
  },
);
