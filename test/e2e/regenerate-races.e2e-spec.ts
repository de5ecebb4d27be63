import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Body, Controller, Get, HttpCode, Post, type INestApplication } from '@nestjs/common';
import request from 'supertest';
import { RedisSessionFactory } from '../../src/factories/redis-session.factory';
import { ServerSessionFactory } from '../../src/factories/server-session.factory';
import { Session } from '../../src/request/session.decorator';
import type { NamespacedSession } from '../../src/session/session';
import { FileStore } from '../../src/stores/file.store';
import { MemoryStore } from '../../src/stores/memory.store';
import type { SessionStore } from '../../src/stores/session-store.interface';
import { CookieJar, setCookieFor } from '../support/cookie-jar';
import { createTestApp, SECRET_A } from '../support/create-test-app';
import { startRedisServer, type RedisServer } from '../support/redis-server';

/** A promise released by the test: holds request A between its load and its regenerate(). */
class Gate {
  entered!: () => void;
  release!: () => void;
  readonly inside = new Promise<void>((resolve) => (this.entered = resolve));
  readonly open = new Promise<void>((resolve) => (this.release = resolve));
}

let gate = new Gate();
const ensured: { id?: string } = {};

@Controller('r')
class RegenerateRaceController {
  @Post('set')
  @HttpCode(200)
  set(@Session('auth') s: NamespacedSession, @Body() body: Record<string, unknown>): object {
    s.update(body);
    return s.toJSON();
  }

  @Get('show')
  show(@Session('auth') s: NamespacedSession): object {
    return { isNew: s.isNew, id: s.id ?? null, data: s.toJSON() };
  }

  @Post('logout')
  @HttpCode(200)
  logout(@Session('auth') s: NamespacedSession): string {
    void s.invalidate();
    return 'bye';
  }

  /** Loads the session, waits for the test, then regenerates it (a login). */
  @Post('slow-login')
  @HttpCode(200)
  async slowLogin(@Session('auth') s: NamespacedSession): Promise<object> {
    s.get('user');
    gate.entered();
    await gate.open;
    await s.regenerate();
    s.set('login', true);
    return s.toJSON();
  }

  /** Pyramid style: two regenerations, neither awaited. */
  @Post('regenerate-twice')
  @HttpCode(200)
  regenerateTwice(@Session('auth') s: NamespacedSession): string {
    void s.regenerate();
    void s.regenerate();
    return 'ok';
  }

  /** A regeneration and then a logout, neither awaited: the logout is what stands. */
  @Post('regenerate-then-logout')
  @HttpCode(200)
  regenerateThenLogout(@Session('auth') s: NamespacedSession): string {
    void s.regenerate();
    void s.invalidate();
    return 'ok';
  }

  /** A logout, not awaited, then a new session whose id the handler needs at once. */
  @Post('logout-then-ensure-id')
  @HttpCode(200)
  async logoutThenEnsureId(@Session('auth') s: NamespacedSession): Promise<string> {
    void s.invalidate();
    s.set('user', 'grace');
    ensured.id = await s.ensureId();
    return 'ok';
  }
}

type StoreKind = 'RedisStore' | 'MemoryStore' | 'FileStore';

describe('regenerate() racing other requests on the same session', () => {
  let server: RedisServer | undefined;
  let directory: string | undefined;

  beforeAll(async () => {
    server = await startRedisServer();
    directory = mkdtempSync(join(tmpdir(), 'nsm-regenerate-race-'));
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    if (directory !== undefined) {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  describe.each(['RedisStore', 'MemoryStore', 'FileStore'] as const)(
    'over %s',
    (kind: StoreKind) => {
      describe.each(['merge', 'reject', 'overwrite'] as const)("onConflict '%s'", (onConflict) => {
        let app: INestApplication;
        let store: SessionStore;

        beforeAll(async () => {
          let factory: ServerSessionFactory;
          const common = {
            secret: SECRET_A,
            cookieName: 'auth',
            onConflict,
          };
          if (kind === 'RedisStore') {
            factory = new RedisSessionFactory({
              ...common,
              redis: { url: server!.url, prefix: `auth:${onConflict}:` },
            });
          } else if (kind === 'MemoryStore') {
            factory = new ServerSessionFactory({
              ...common,
              store: new MemoryStore({ sweepInterval: 0 }),
            });
          } else {
            factory = new ServerSessionFactory({
              ...common,
              store: new FileStore({ directory: join(directory!, onConflict) }),
            });
          }
          store = factory.store;
          app = await createTestApp({
            sessions: [{ namespace: 'auth', factory }],
            controllers: [RegenerateRaceController],
          });
        }, 60_000);

        afterAll(() => app?.close());

        beforeEach(async () => {
          gate = new Gate();
          await store.clear!();
        });

        const http = () => request(app.getHttpServer());

        async function login(data: Record<string, unknown>): Promise<CookieJar> {
          return new CookieJar().store(await http().post('/r/set').send(data).expect(200));
        }

        async function show(jar: CookieJar): Promise<{ isNew: boolean; data: object }> {
          return (await http().get('/r/show').set('Cookie', jar.header()).expect(200)).body;
        }

        /** Starts the slow login with `jar`'s cookie and resolves once it has loaded the session. */
        async function startSlowLogin(jar: CookieJar) {
          const pending = http()
            .post('/r/slow-login')
            .set('Cookie', jar.header())
            .then((r) => r);
          await gate.inside;
          return pending;
        }

        it('keeps a session logged out meanwhile ended: 409, and neither cookie reads its data', async () => {
          const jar = await login({ user: 'ada' });
          const slow = startSlowLogin(jar);
          await http().post('/r/logout').set('Cookie', jar.header()).expect(200);
          gate.release();
          const res = await slow;

          expect(res.status).toBe(409);
          expect(setCookieFor(res, 'auth')).toBeUndefined();
          expect(await show(jar)).toEqual({ isNew: true, id: null, data: {} });
          expect(await store.length!()).toBe(0);
        });

        it('never loses silently a change another request made meanwhile', async () => {
          const jar = await login({ user: 'ada' });
          const slow = startSlowLogin(jar);
          await http().post('/r/set').set('Cookie', jar.header()).send({ cart: 'x' }).expect(200);
          gate.release();
          const res = await slow;
          const after = new CookieJar().store(res);

          if (onConflict === 'merge') {
            expect(res.status).toBe(200);
            expect((await show(after)).data).toEqual({ user: 'ada', cart: 'x', login: true });
            expect((await show(jar)).isNew).toBe(true);
            expect(await store.length!()).toBe(1);
          } else if (onConflict === 'reject') {
            expect(res.status).toBe(409);
            expect(setCookieFor(res, 'auth')).toBeUndefined();
            // The old session is as the other request left it; no new record is left behind.
            expect((await show(jar)).data).toEqual({ user: 'ada', cart: 'x' });
            expect(await store.length!()).toBe(1);
          } else {
            // Last writer wins, by name: the login's view replaces the other change.
            expect(res.status).toBe(200);
            expect((await show(after)).data).toEqual({ user: 'ada', login: true });
            expect((await show(jar)).isNew).toBe(true);
            expect(await store.length!()).toBe(1);
          }
        });

        it('regenerate() twice without await gives one new id and leaves one record', async () => {
          const jar = await login({ user: 'ada' });
          const res = await http()
            .post('/r/regenerate-twice')
            .set('Cookie', jar.header())
            .expect(200);
          const after = new CookieJar().store(res);

          expect((await show(after)).data).toEqual({ user: 'ada' });
          expect((await show(jar)).isNew).toBe(true);
          expect(await store.length!()).toBe(1);
        });

        it('regenerate() then invalidate(), neither awaited, logs out: cookie cleared, no record', async () => {
          const jar = await login({ user: 'ada' });
          const res = await http().post('/r/regenerate-then-logout').set('Cookie', jar.header());

          expect(res.status).toBe(200);
          expect(setCookieFor(res, 'auth')).toMatch(/^auth=;/);
          expect((await show(jar)).isNew).toBe(true);
          expect(await store.length!()).toBe(0);
        });

        it('ensureId() after an invalidate() not awaited returns the id the client is given', async () => {
          const jar = await login({ user: 'ada' });
          ensured.id = undefined;
          const res = await http()
            .post('/r/logout-then-ensure-id')
            .set('Cookie', jar.header())
            .expect(200);
          const after = new CookieJar().store(res);
          const seen = await show(after);

          expect(seen).toEqual({ isNew: false, id: ensured.id, data: { user: 'grace' } });
          expect((await show(jar)).isNew).toBe(true);
          expect(await store.length!()).toBe(1);
        });
      });
    },
  );
});
