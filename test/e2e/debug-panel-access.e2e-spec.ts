import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { IncomingMessage } from 'node:http';
import { SessionRegistry } from '../../src/module/session-registry';
import { SessionMultiDebugModule } from '../../src/debug/session-multi-debug.module';
import type { SessionMultiDebugOptions } from '../../src/debug/session-multi-debug-options.interface';
import { ADAPTERS, createTestApp, type AdapterName } from '../support/create-test-app';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { createDebugApp, DebugFixtureController, threeNamespaces } from './debug-panel-fixtures';

const NOT_FOUND = { message: 'Cannot GET /_session_multi', error: 'Not Found', statusCode: 404 };

/** Makes every request look as if it came from `address` (a client on another machine). */
function fromAddress(adapter: AdapterName, address: string) {
  const override = (req: IncomingMessage): void => {
    Object.defineProperty(req.socket, 'remoteAddress', { value: address, configurable: true });
  };
  return (app: INestApplication): void => {
    const instance = app.getHttpAdapter().getInstance() as {
      use?: (fn: (req: IncomingMessage, res: unknown, next: () => void) => void) => void;
      addHook?: (
        name: string,
        fn: (req: { raw: IncomingMessage }, reply: unknown, done: () => void) => void,
      ) => void;
    };
    if (adapter === 'fastify') {
      instance.addHook!('onRequest', (req, _reply, done) => {
        override(req.raw);
        done();
      });
    } else {
      instance.use!((req, _res, next) => {
        override(req);
        next();
      });
    }
  };
}

describe.each(ADAPTERS)('SessionMultiDebugModule access on %s', (adapter) => {
  let server: RedisServer;
  const apps: INestApplication[] = [];

  async function start(
    debug: Partial<SessionMultiDebugOptions>,
    extra: Parameters<typeof createDebugApp>[3] = {},
  ): Promise<INestApplication> {
    const app = await createDebugApp(adapter, server.url, debug, extra);
    apps.push(app);
    return app;
  }

  beforeAll(async () => {
    server = await startRedisServer();
  }, 60_000);

  afterAll(async () => {
    await Promise.allSettled(apps.map((app) => app.close()));
    await server?.stop();
  });

  describe('when the panel is disabled', () => {
    it('should answer 404 on its path and install no recorder', async () => {
      const app = await start({ enabled: false });
      const res = await request(app.getHttpServer()).get('/_session_multi').expect(404);
      expect(res.body).toEqual(NOT_FOUND);
      await request(app.getHttpServer()).get('/_session_multi/api/requests').expect(404);
      expect(app.get(SessionRegistry).observer).toBeUndefined();
    }, 60_000);
  });

  describe('when the request comes from a non-loopback socket address', () => {
    it('should answer the same 404 as a missing route, even with X-Forwarded-For: 127.0.0.1', async () => {
      const app = await start({}, { configure: fromAddress(adapter, '203.0.113.9') });
      const res = await request(app.getHttpServer()).get('/_session_multi').expect(404);
      expect(res.body).toEqual(NOT_FOUND);
      await request(app.getHttpServer())
        .get('/_session_multi')
        .set('X-Forwarded-For', '127.0.0.1')
        .expect(404);
      await request(app.getHttpServer())
        .get('/_session_multi/api/requests')
        .set('X-Forwarded-For', '127.0.0.1')
        .expect(404);
      await request(app.getHttpServer()).get('/_session_multi/requests/1').expect(404);
    }, 60_000);
  });

  describe('when allowedIps names another address', () => {
    const allowedIps = ['192.0.2.7'];

    it('should refuse a spoofed X-Forwarded-For when no proxy is trusted', async () => {
      const app = await start({ allowedIps });
      await request(app.getHttpServer()).get('/_session_multi').expect(404);
      await request(app.getHttpServer())
        .get('/_session_multi')
        .set('X-Forwarded-For', '192.0.2.7')
        .expect(404);
    }, 60_000);

    it('should take the forwarded address when the application trusts its proxy', async () => {
      const app = await start({ allowedIps }, { trustProxy: true });
      await request(app.getHttpServer())
        .get('/_session_multi')
        .set('X-Forwarded-For', '192.0.2.7')
        .expect(200);
      await request(app.getHttpServer())
        .get('/_session_multi')
        .set('X-Forwarded-For', '198.51.100.1')
        .expect(404);
    }, 60_000);
  });

  describe('when authorize is given', () => {
    it('should answer 404 unless it says yes', async () => {
      const app = await start({
        authorize: (req) => req.headers['x-debug-key'] === 'letmein',
      });
      const res = await request(app.getHttpServer()).get('/_session_multi').expect(404);
      expect(res.body).toEqual(NOT_FOUND);
      await request(app.getHttpServer())
        .get('/_session_multi')
        .set('X-Debug-Key', 'letmein')
        .expect(200);
    }, 60_000);
  });

  describe('when NODE_ENV is production', () => {
    const env = process.env.NODE_ENV;
    afterEach(() => {
      process.env.NODE_ENV = env;
    });

    it('should refuse to start without allowInProduction and authorize', async () => {
      process.env.NODE_ENV = 'production';
      await expect(
        createTestApp({
          adapter,
          sessions: threeNamespaces(server.url),
          controllers: [DebugFixtureController],
          imports: [SessionMultiDebugModule.forRoot({ enabled: true, allowInProduction: true })],
        }),
      ).rejects.toThrow(
        'SessionMultiDebugModule: the panel is enabled while NODE_ENV is "production"; it shows session data and is refused there. Pass enabled: false in production, or both allowInProduction: true and an authorize function.',
      );
    }, 60_000);

    it('should start with allowInProduction and authorize, and when disabled', async () => {
      process.env.NODE_ENV = 'production';
      const allowed = await start({ allowInProduction: true, authorize: () => true });
      await request(allowed.getHttpServer()).get('/_session_multi').expect(200);
      const disabled = await start({ enabled: false });
      await request(disabled.getHttpServer()).get('/_session_multi').expect(404);
    }, 60_000);
  });
});
