import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { ADAPTERS } from '../support/create-test-app';
import { CookieJar, setCookies } from '../support/cookie-jar';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { appCommands } from './server-session-fixtures';
import { createDebugApp, lastId, listRecords, recordOf } from './debug-panel-fixtures';

describe.each(ADAPTERS)('SessionMultiDebugModule on %s', (adapter) => {
  let server: RedisServer;

  beforeAll(async () => {
    server = await startRedisServer();
  }, 60_000);

  afterAll(() => server?.stop());

  describe.each(['accessed', 'all'] as const)('when capture is %s', (capture) => {
    let app: INestApplication;
    const jar = new CookieJar();

    beforeAll(async () => {
      app = await createDebugApp(adapter, server.url, { capture });
      // Every namespace gets a cookie first, so the browser sends all three from then on.
      for (const path of ['/ui', '/vault', '/auth']) {
        jar.store(
          await request(app.getHttpServer()).post(path).set('Cookie', jar.header()).expect(201),
        );
      }
    }, 60_000);

    afterAll(() => app?.close());

    describe('when a request touches one namespace of three', () => {
      it('should record the other two as untouched, with no cookie and no store command for them', async () => {
        const before = await lastId(app);
        await server.resetStats();
        const res = await request(app.getHttpServer())
          .post('/ui/theme?x=1')
          .set('Cookie', jar.header())
          .expect(201);
        expect(appCommands(await server.commandStats())).toEqual({});
        expect(setCookies(res).map((c) => c.split('=')[0])).toEqual(['ui']);

        const record = await recordOf(app, '/ui/theme', before);
        expect(record).toMatchObject({ method: 'POST', path: '/ui/theme', status: 201 });
        const [ui, vault, auth] = record.namespaces;
        expect(ui).toMatchObject({
          namespace: 'ui',
          factory: 'SignedCookieSessionFactory',
          store: 'cookie',
          touched: true,
          mount: 'mounted',
          cookiePresent: true,
          added: ['lang'],
          removed: [],
          changed: ['theme'],
          commit: ['wrote'],
        });
        expect(ui!.before).toMatchObject({ theme: 'dark', password: '[redacted]' });
        expect(ui!.after).toMatchObject({ theme: 'light', lang: 'fr', password: '[redacted]' });
        expect(vault).toMatchObject({ namespace: 'vault', touched: false, commit: [] });
        expect(auth).toMatchObject({
          namespace: 'auth',
          factory: 'RedisSessionFactory',
          touched: false,
          cookiePresent: true,
          commit: [],
          before: null,
        });
        if (capture === 'all') {
          // Cookie-backed data is decoded read-only; the server-side one shows only its cookie.
          expect(vault!.before).toEqual({ plan: 'gold', apiToken: '[redacted]' });
          expect(auth!.idIn).toMatch(/^[\w-]{16}$/);
        } else {
          expect(vault!.before).toBeNull();
          expect(auth!.idIn).toBeNull();
        }
        // The untouched sessions are still valid and unchanged on the next request.
        await server.resetStats();
        const again = await request(app.getHttpServer())
          .post('/ui/theme')
          .set('Cookie', jar.header())
          .expect(201);
        expect(appCommands(await server.commandStats())).toEqual({});
        expect(setCookies(again).map((c) => c.split('=')[0])).toEqual(['ui']);
      });
    });

    describe('when a request writes the server-side namespace', () => {
      it('should show the write and the id only as a fingerprint', async () => {
        const before = await lastId(app);
        const res = await request(app.getHttpServer())
          .post('/auth')
          .set('Cookie', jar.header())
          .expect(201);
        const record = await recordOf(app, '/auth', before);
        const auth = record.namespaces.find((n) => n.namespace === 'auth')!;
        expect(auth).toMatchObject({ touched: true, store: 'RedisStore', commit: ['wrote'] });
        expect(auth.idOut).toMatch(/^[\w-]{16}$/);
        expect(auth.after).toEqual({
          user: 'ada',
          nested: { profile: { secretAnswer: '[redacted]' } },
        });
        const body = JSON.stringify(record);
        const cookie = jar.header();
        const id = decodeURIComponent(/auth=([^;]+)/.exec(cookie)![1]!).split('.')[0]!;
        expect(body).not.toContain(id);
        expect(body).not.toContain('blue-whale-42');
        expect(setCookies(res).map((c) => c.split('=')[0])).toEqual([]);
      });
    });

    describe('when a discriminator refuses the namespace', () => {
      it('should record the refusal and send nothing for it', async () => {
        const before = await lastId(app);
        const res = await request(app.getHttpServer())
          .get('/vault/maybe')
          .set('Cookie', jar.header())
          .set('X-No-Vault', '1')
          .expect(200);
        expect(res.body).toEqual({ plan: null });
        expect(setCookies(res)).toEqual([]);
        const record = await recordOf(app, '/vault/maybe', before);
        expect(record.namespaces[1]).toMatchObject({
          namespace: 'vault',
          hasDiscriminator: true,
          touched: true,
          mount: 'refused-by-discriminator',
          before: null,
          commit: [],
        });
      });
    });

    describe('when the request carries a tampered cookie', () => {
      it('should give the invalid-session reason and show the cookie cleared', async () => {
        const before = await lastId(app);
        const res = await request(app.getHttpServer())
          .get('/ui')
          .set('Cookie', 'ui=tampered.value')
          .expect(200);
        expect(setCookies(res)).toEqual([expect.stringMatching(/^ui=;/)]);
        const record = await recordOf(app, '/ui', before);
        expect(record.namespaces[0]).toMatchObject({
          namespace: 'ui',
          touched: true,
          invalidReason: expect.stringMatching(/^InvalidSession\w+: Namespace "ui": /),
          commit: ['cleared'],
        });
        expect(JSON.stringify(record)).not.toContain('tampered.value');
      });
    });

    describe('when the panel itself is requested', () => {
      it('should not record its own requests and send the security headers', async () => {
        const res = await request(app.getHttpServer()).get('/_session_multi').expect(200);
        expect(res.headers['content-security-policy']).toContain("default-src 'none'");
        expect(res.headers['content-security-policy']).not.toContain('unsafe-inline');
        expect(res.headers['cache-control']).toBe('no-store');
        expect(res.headers['referrer-policy']).toBe('no-referrer');
        expect(res.headers['x-frame-options']).toBe('DENY');
        await request(app.getHttpServer()).get('/_session_multi/panel.css').expect(200);
        const paths = (await listRecords(app)).map((r) => r.path);
        expect(paths.some((p) => p.startsWith('/_session_multi'))).toBe(false);
      });
    });
  });

  describe('when historySize is reached', () => {
    let app: INestApplication;

    beforeAll(async () => {
      app = await createDebugApp(adapter, server.url, { historySize: 3 });
    }, 60_000);

    afterAll(() => app?.close());

    it('should keep only the newest records, newest first', async () => {
      for (let i = 0; i < 5; i++) {
        await request(app.getHttpServer()).get(`/none?i=${i}`).expect(200);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
      const records = await listRecords(app);
      expect(records).toHaveLength(3);
      expect(records.map((r) => r.id)).toEqual([...records.map((r) => r.id)].sort((a, b) => b - a));
      expect(records.every((r) => r.path === '/none')).toBe(true);
    });
  });
});
