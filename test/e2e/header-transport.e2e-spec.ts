import { Controller, Get, Post, type INestApplication } from '@nestjs/common';
import request from 'supertest';
import { ServerSessionFactory } from '../../src/factories/server-session.factory';
import { headerTransport } from '../../src/factories/transports/session-id-transport';
import { Session } from '../../src/request/session.decorator';
import { ADAPTERS, createTestApp, SECRET_A } from '../support/create-test-app';
import { CountingStore } from '../support/counting-store';
import { LogCapture } from '../support/log-capture';

@Controller()
class ApiController {
  @Post('login')
  login(@Session('api') api: Session): { ok: boolean } {
    api.set('user', 'ann');
    return { ok: true };
  }

  @Get('me')
  me(@Session('api') api: Session): { user: unknown } {
    return { user: api.get('user') ?? null };
  }

  @Post('regenerate')
  async regenerate(@Session('api') api: Session): Promise<{ ok: boolean }> {
    await api.regenerate();
    return { ok: true };
  }

  @Post('logout')
  async logout(@Session('api') api: Session): Promise<{ ok: boolean }> {
    await api.invalidate();
    return { ok: true };
  }
}

const FORGED = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.forged-signature';

describe.each(ADAPTERS)('headerTransport (%s)', (adapter) => {
  let app: INestApplication;
  let store: CountingStore;
  const logs = new LogCapture();

  beforeAll(async () => {
    store = new CountingStore();
    app = await createTestApp({
      adapter,
      sessions: [
        {
          namespace: 'api',
          factory: new ServerSessionFactory({
            store,
            secret: SECRET_A,
            transport: headerTransport(),
          }),
        },
      ],
      controllers: [ApiController],
      configure: (a) => {
        a.useLogger(logs);
        a.enableCors({ origin: true });
      },
    });
  });

  afterAll(() => app.close());

  describe('when a client logs in, reads, regenerates and logs out', () => {
    it('should carry the id in X-Session-Id and never send a cookie', async () => {
      const server = app.getHttpServer();
      const login = await request(server).post('/login').expect(201);
      const id = login.headers['x-session-id'] as string;
      expect(id).toMatch(/^[A-Za-z0-9_-]{22,}\.[A-Za-z0-9_-]+$/);
      expect(login.headers['cache-control']).toBe('private, no-store');
      expect(login.headers['vary']).toMatch(/X-Session-Id/i);

      const me = await request(server).get('/me').set('X-Session-Id', id).expect(200);
      expect(me.body).toEqual({ user: 'ann' });
      expect(me.headers['x-session-id']).toBeUndefined();
      // A read depends on the id header, not on cookies: a cache must key on the header.
      expect(me.headers['vary']).toMatch(/X-Session-Id/i);
      expect(me.headers['vary']).not.toMatch(/Cookie/i);

      const regen = await request(server).post('/regenerate').set('X-Session-Id', id).expect(201);
      const next = regen.headers['x-session-id'] as string;
      expect(next).toMatch(/\./);
      expect(next).not.toBe(id);
      await request(server).get('/me').set('X-Session-Id', id).expect(200, { user: null });
      await request(server).get('/me').set('X-Session-Id', next).expect(200, { user: 'ann' });

      const logout = await request(server).post('/logout').set('X-Session-Id', next).expect(201);
      expect(logout.headers['x-session-id']).toBe('');
      await request(server).get('/me').set('X-Session-Id', next).expect(200, { user: null });

      for (const res of [login, me, regen, logout]) {
        expect(res.headers['set-cookie']).toBeUndefined();
      }
    });
  });

  describe('when the header holds a forged id', () => {
    it('should start a new session without reading the store', async () => {
      const server = app.getHttpServer();
      const before = store.reads;
      const res = await request(server).post('/login').set('X-Session-Id', FORGED).expect(201);
      expect(store.reads).toBe(before);
      const issued = res.headers['x-session-id'] as string;
      expect(issued).not.toBe(FORGED);
      expect(issued.split('.')[0]).not.toBe(FORGED.split('.')[0]);
      await request(server).get('/me').set('X-Session-Id', issued).expect(200, { user: 'ann' });
    });
  });

  describe('when the request repeats the header (a proxy added it again)', () => {
    it('should read the session from the first value that verifies', async () => {
      const server = app.getHttpServer();
      const login = await request(server).post('/login').expect(201);
      const id = login.headers['x-session-id'] as string;
      for (const values of [
        [id, id],
        [FORGED, id],
      ]) {
        // superagent sends an array as repeated header lines; its types allow that for Cookie only.
        const repeated = values as unknown as string;
        const res = await request(server).get('/me').set('X-Session-Id', repeated).expect(200);
        expect(res.body).toEqual({ user: 'ann' });
        expect(res.headers['x-session-id']).toBeUndefined();
      }
    });
  });

  describe('when a cross-origin response does not expose the header', () => {
    it('should warn once, naming the namespace and the header', async () => {
      const server = app.getHttpServer();
      const origin = 'https://spa.example';
      await request(server).post('/login').set('Origin', origin).expect(201);
      await request(server).post('/login').set('Origin', origin).expect(201);
      await new Promise((r) => setImmediate(r));
      const warnings = logs.at('warn').filter((w) => w.includes('Access-Control-Expose-Headers'));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(
        'Namespace "api": the session id travels in the response header "X-Session-Id", but a cross-origin response did not list it in Access-Control-Expose-Headers',
      );
    });
  });
});

describe.each(ADAPTERS)('headerTransport with CORS exposing it (%s)', (adapter) => {
  let app: INestApplication;
  const logs = new LogCapture();

  beforeAll(async () => {
    app = await createTestApp({
      adapter,
      sessions: [
        {
          namespace: 'api',
          factory: new ServerSessionFactory({
            store: new CountingStore(),
            secret: SECRET_A,
            transport: headerTransport({ name: 'X-Api-Session' }),
          }),
        },
      ],
      controllers: [ApiController],
      configure: (a) => {
        a.useLogger(logs);
        a.enableCors({ origin: true, exposedHeaders: ['X-Api-Session'] });
      },
    });
  });

  afterAll(() => app.close());

  describe('when a cross-origin client logs in', () => {
    it('should answer the id in the configured header without a warning', async () => {
      const res = await request(app.getHttpServer())
        .post('/login')
        .set('Origin', 'https://spa.example')
        .expect(201);
      expect(res.headers['access-control-expose-headers']).toMatch(/X-Api-Session/i);
      expect(res.headers['x-api-session']).toMatch(/\./);
      await new Promise((r) => setImmediate(r));
      expect(logs.at('warn').filter((w) => w.includes('Expose-Headers'))).toEqual([]);
    });
  });
});
