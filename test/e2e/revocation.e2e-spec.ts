import { Body, Controller, Get, HttpCode, Post, type INestApplication } from '@nestjs/common';
import request from 'supertest';
import { RedisSessionFactory } from '../../src/factories/redis-session.factory';
import { ServerSessionFactory } from '../../src/factories/server-session.factory';
import { SessionRegistry } from '../../src/module/session-registry';
import { Session } from '../../src/request/session.decorator';
import { MemoryStore } from '../../src/stores/memory.store';
import { CookieJar } from '../support/cookie-jar';
import { createTestApp, SECRET_A } from '../support/create-test-app';
import { startRedisServer, type RedisServer } from '../support/redis-server';

@Controller()
class AccountController {
  constructor(private readonly registry: SessionRegistry) {}

  @Post('login')
  @HttpCode(200)
  async login(@Session('auth') auth: Session, @Body() body: { user: string }): Promise<string> {
    await auth.regenerate();
    auth.set('user', body.user);
    auth.setOwner(body.user);
    return 'ok';
  }

  @Get('me')
  me(@Session('auth') auth: Session): unknown {
    return { user: auth.get('user') ?? null };
  }

  @Get('sessions')
  async sessions(@Session('auth') auth: Session): Promise<unknown> {
    const user = auth.get('user') as string;
    return this.registry.listSessions('auth', user);
  }

  @Post('logout-others')
  @HttpCode(200)
  async logoutOthers(@Session('auth') auth: Session): Promise<unknown> {
    const user = auth.get('user') as string;
    return { ended: await this.registry.revokeAllForUser('auth', user, { except: auth }) };
  }

  @Post('revoke')
  @HttpCode(200)
  async revoke(@Body() body: { user: string; handle: string }): Promise<unknown> {
    return { ended: await this.registry.revokeSession('auth', body.user, body.handle) };
  }
}

const stores: [
  string,
  () => Promise<{ factory: ServerSessionFactory; stop(): Promise<void>; server?: RedisServer }>,
][] = [
  [
    'RedisStore',
    async () => {
      const server = await startRedisServer();
      return {
        server,
        factory: new RedisSessionFactory({
          redis: { url: server.url, prefix: 'auth:' },
          secret: SECRET_A,
          cookieName: 'auth',
        }),
        stop: () => server.stop(),
      };
    },
  ],
  [
    'MemoryStore',
    () =>
      Promise.resolve({
        factory: new ServerSessionFactory({
          store: new MemoryStore(),
          secret: SECRET_A,
          cookieName: 'auth',
        }),
        stop: () => Promise.resolve(),
      }),
  ],
];

describe.each(stores)('SessionRegistry revocation over %s', (_name, make) => {
  let app: INestApplication;
  let made: Awaited<ReturnType<typeof make>>;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    made = await make();
    app = await createTestApp({
      sessions: [{ namespace: 'auth', factory: made.factory }],
      controllers: [AccountController],
    });
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await made?.stop();
  });

  async function logIn(user: string): Promise<CookieJar> {
    return new CookieJar().store(await http().post('/login').send({ user }).expect(200));
  }

  async function whoIs(jar: CookieJar): Promise<string | null> {
    return (
      (await http().get('/me').set('Cookie', jar.header()).expect(200)).body as {
        user: string | null;
      }
    ).user;
  }

  describe('when a user has five sessions and logs out everywhere else', () => {
    it('should refuse the other four cookies, keep the current one and leave other users alone', async () => {
      const ada = await Promise.all([1, 2, 3, 4, 5].map(() => logIn('ada')));
      const bob = await logIn('bob');
      const listed = (await http().get('/sessions').set('Cookie', ada[0]!.header()).expect(200))
        .body as { handle: string; created: number; lastSeen: number }[];
      expect(listed).toHaveLength(5);
      expect(JSON.stringify(listed)).not.toMatch(/auth=|"id"/);
      const ended = await http().post('/logout-others').set('Cookie', ada[0]!.header()).expect(200);
      expect(ended.body).toEqual({ ended: 4 });
      expect(await whoIs(ada[0]!)).toBe('ada');
      for (const jar of ada.slice(1)) {
        expect(await whoIs(jar)).toBeNull();
      }
      expect(await whoIs(bob)).toBe('bob');
      if (made.server !== undefined) {
        const keys = (await made.server.command('KEYS', 'auth:*'))
          .split('\r\n')
          .filter((line) => line.startsWith('auth:'));
        for (const key of keys) {
          expect(
            Number((await made.server.command('TTL', key)).replace(/[^-\d]/g, '')),
          ).toBeGreaterThan(0);
        }
      }
    });
  });

  describe('when one session is revoked by its handle', () => {
    it('should refuse that cookie only', async () => {
      const first = await logIn('cy');
      const second = await logIn('cy');
      const listed = (await http().get('/sessions').set('Cookie', first.header()).expect(200))
        .body as { handle: string }[];
      const mine = listed.map((s) => s.handle);
      expect(mine).toHaveLength(2);
      const target = (await http().get('/sessions').set('Cookie', second.header())).body as {
        handle: string;
      }[];
      // Revoke the session that is not `first`'s: end both handles one by one and check.
      await http().post('/revoke').send({ user: 'cy', handle: target[0]!.handle }).expect(200);
      const alive = [await whoIs(first), await whoIs(second)].filter((u) => u === 'cy');
      expect(alive).toHaveLength(1);
      const again = await http().post('/revoke').send({ user: 'cy', handle: target[0]!.handle });
      expect(again.body).toEqual({ ended: false });
    });
  });
});
