import { afterEach, jest } from '@jest/globals';
import { Logger, type INestApplication } from '@nestjs/common';
import request from 'supertest';
import { RedisSessionFactory } from '../../src/factories/redis-session.factory';
import { ServerSessionFactory } from '../../src/factories/server-session.factory';
import { MemoryStore } from '../../src/stores/memory.store';
import { createTestApp, SECRET_A } from '../support/create-test-app';
import { CookieJar, setCookies } from '../support/cookie-jar';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { ServerSessionController } from './server-session-fixtures';

/** Per-call deadline of the stores under test, in ms. */
const COMMAND_TIMEOUT = 300;
/** Upper bound for a whole request: a hang fails the test instead of stalling the suite. */
const REQUEST_BOUND = 5000;

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(() => {
  process.on('unhandledRejection', onUnhandled);
});

afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
});

afterEach(() => {
  jest.restoreAllMocks();
});

async function outageApp(server: RedisServer): Promise<INestApplication> {
  const factory = (ns: string, onStoreError: 'throw' | 'fail-open') =>
    new RedisSessionFactory({
      redis: { url: server.url, prefix: `${ns}:`, commandTimeout: COMMAND_TIMEOUT },
      secret: SECRET_A,
      cookieName: ns,
      onStoreError,
    });
  return createTestApp({
    sessions: [
      { namespace: 'strict', factory: factory('strict', 'throw') },
      { namespace: 'open', factory: factory('open', 'fail-open') },
    ],
    controllers: [ServerSessionController],
  });
}

/** Describes one outage: how to cause it while the app runs. */
describe.each([
  ['stopped', (server: RedisServer) => server.stop()],
  ['frozen (SIGSTOP)', (server: RedisServer) => Promise.resolve(server.freeze())],
])('RedisSessionFactory when the Redis server is %s', (_name, cause) => {
  let server: RedisServer;
  let app: INestApplication;
  const jar = new CookieJar();

  beforeAll(async () => {
    server = await startRedisServer();
    app = await outageApp(server);
    // Sessions created while Redis was up, so the outage hits existing sessions too.
    for (const ns of ['strict', 'open']) {
      jar.store(await request(app.getHttpServer()).post(`/s/${ns}`).send({ user: 'ada' }));
    }
    await cause(server);
  }, 60_000);

  afterAll(async () => {
    server?.thaw();
    await app?.close();
    await server?.stop();
  });

  const http = () => request(app.getHttpServer());

  describe("when onStoreError is 'throw' (default) and an existing session is read", () => {
    it('should answer 503 naming the namespace, within the deadline', async () => {
      const res = await http()
        .get('/s/strict')
        .set('Cookie', jar.header())
        .timeout(REQUEST_BOUND)
        .expect(503);
      expect(res.body).toMatchObject({
        statusCode: 503,
        message: 'Session store for namespace "strict" is unavailable.',
      });
      expect(setCookies(res)).toEqual([]);
    });
  });

  describe("when onStoreError is 'throw' and a new session is written", () => {
    it('should answer 503 and send no cookie', async () => {
      const res = await http().post('/s/strict').send({ n: 1 }).timeout(REQUEST_BOUND).expect(503);
      expect(setCookies(res)).toEqual([]);
    });
  });

  describe("when onStoreError is 'fail-open' and an existing session is read", () => {
    it('should answer 200 with an empty session and log one warning', async () => {
      const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      const res = await http()
        .get('/s/open')
        .set('Cookie', jar.header())
        .timeout(REQUEST_BOUND)
        .expect(200);
      expect(res.body).toEqual({ isNew: true, data: {} });
      expect(setCookies(res)).toEqual([]);
      const messages = warn.mock.calls.map((call) => String(call[0]));
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatch(
        /^Namespace "open": RedisStore is unavailable \(get\(\) failed: .+\); sessions are served empty and not saved until it recovers \(onStoreError: 'fail-open'\)\.$/,
      );
    });
  });

  describe("when onStoreError is 'fail-open' and a new session is written", () => {
    it('should answer 200 without a cookie and log nothing more while the outage lasts', async () => {
      const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      const res = await http().post('/s/open').send({ n: 1 }).timeout(REQUEST_BOUND).expect(200);
      expect(setCookies(res)).toEqual([]);
      // The read above reported the outage once; every later failure is only counted.
      expect(warn.mock.calls.map((call) => String(call[0]))).toEqual([]);
    });
  });

  describe('when a route touches no session', () => {
    it('should answer 200 as if nothing happened', async () => {
      await http().get('/none').set('Cookie', jar.header()).timeout(REQUEST_BOUND).expect(200);
    });
  });

  describe('after the outage requests', () => {
    it('should have left no unhandled rejection', () => {
      expect(unhandled).toEqual([]);
    });
  });
});

/** A memory store whose deletes fail: the store dies between the load and invalidate(). */
class DeleteFailsStore extends MemoryStore {
  override delete(): Promise<void> {
    return Promise.reject(new Error('connection lost'));
  }
}

describe('ServerSessionFactory when invalidate() cannot delete the record', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const factory = (ns: string, onStoreError: 'throw' | 'fail-open') =>
      new ServerSessionFactory({
        store: new DeleteFailsStore(),
        secret: SECRET_A,
        cookieName: ns,
        onStoreError,
      });
    app = await createTestApp({
      sessions: [
        { namespace: 'strict', factory: factory('strict', 'throw') },
        { namespace: 'open', factory: factory('open', 'fail-open') },
      ],
      controllers: [ServerSessionController],
    });
  });

  afterAll(async () => {
    await app?.close();
  });

  it.each(['strict', 'open'])(
    'should answer 503 in namespace "%s" and keep the cookie (a failed logout is never silent)',
    async (ns) => {
      const http = () => request(app.getHttpServer());
      const jar = new CookieJar().store(await http().post(`/s/${ns}`).send({ user: 'ada' }));
      const res = await http().post(`/s/${ns}/invalidate`).set('Cookie', jar.header());
      expect(res.status).toBe(503);
      expect(res.body.message).toBe(`Session store for namespace "${ns}" is unavailable.`);
      expect(setCookies(res)).toEqual([]);
    },
  );
});
