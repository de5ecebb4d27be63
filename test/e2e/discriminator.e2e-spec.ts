import {
  Controller,
  Get,
  Post,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
  type INestApplication,
} from '@nestjs/common';
import request from 'supertest';
import { SignedCookieSessionFactory } from '../../src/factories/signed-cookie-session.factory';
import type { SessionRequest } from '../../src/factories/session-factory.interface';
import type { SessionMultiRequest } from '../../src/request/session-multi.middleware';
import { Session, Sessions } from '../../src/request/session.decorator';
import type { SessionContainer } from '../../src/request/session-container';
import { ADAPTERS, createTestApp, SECRET_A, SECRET_B } from '../support/create-test-app';
import { CookieJar, setCookies } from '../support/cookie-jar';
import { LogCapture } from '../support/log-capture';

const calls = { https: 0, beta: 0 };

/** Mounted only on https requests (sync). */
function httpsOnly(req: SessionRequest): boolean {
  calls.https++;
  return req.secure === true;
}

/** Mounted only for beta testers, decided asynchronously. */
async function betaOnly(req: SessionRequest): Promise<boolean> {
  calls.beta++;
  await new Promise((r) => setTimeout(r, 5));
  return req.headers['x-beta'] === '1';
}

class ReadsSecureGuard implements CanActivate {
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<SessionMultiRequest>();
    await req.sessionMulti!.get('secure');
    return true;
  }
}

@Controller()
class DiscriminatedController {
  @Post('secure')
  @UseGuards(ReadsSecureGuard)
  writeSecure(
    @Session('secure') secure: Session | null,
    @Session('secure') again: Session | null,
    @Sessions() all: SessionContainer,
  ): Promise<Record<string, unknown>> {
    return all.get('secure').then((third) => {
      secure?.set('token', 't');
      return {
        mounted: secure !== null,
        same: secure === again && again === third,
        loaded: all.isLoaded('secure'),
      };
    });
  }

  @Get('secure')
  readSecure(@Session('secure') secure: Session | null): unknown {
    return { token: secure === null ? 'unmounted' : (secure.get('token') ?? null) };
  }

  @Post('beta')
  writeBeta(@Session('beta') beta: Session | null): unknown {
    beta?.set('flag', true);
    return { mounted: beta !== null };
  }

  @Get('unknown')
  async unknown(@Sessions() all: SessionContainer): Promise<unknown> {
    try {
      await all.get('carts');
      return { error: null };
    } catch (error) {
      return { name: (error as Error).name, message: (error as Error).message };
    }
  }

  @Post('logout')
  async logout(@Sessions() all: SessionContainer): Promise<string> {
    await all.invalidateAll();
    return 'bye';
  }
}

describe.each(ADAPTERS)('Discriminators on %s', (adapter) => {
  let app: INestApplication;
  const capture = new LogCapture();

  beforeAll(async () => {
    app = await createTestApp({
      adapter,
      sessions: [
        {
          namespace: 'ui',
          factory: new SignedCookieSessionFactory({ secret: SECRET_A, cookieName: 'ui' }),
        },
        {
          namespace: 'secure',
          factory: new SignedCookieSessionFactory({
            secret: SECRET_B,
            cookieName: 'secure_sid',
            secure: true,
          }),
          discriminator: httpsOnly,
        },
        {
          namespace: 'beta',
          factory: new SignedCookieSessionFactory({ secret: SECRET_B, cookieName: 'beta' }),
          discriminator: betaOnly,
        },
      ],
      controllers: [DiscriminatedController],
      trustProxy: true,
      configure: (a) => a.useLogger(capture),
    });
  }, 60_000);

  afterAll(() => app.close());

  beforeEach(() => {
    calls.https = 0;
    calls.beta = 0;
    capture.clear();
  });

  describe('when a sync discriminator says no', () => {
    it('should mount null everywhere on the request, asking the discriminator once', async () => {
      const res = await request(app.getHttpServer()).post('/secure').expect(201);
      expect(res.body).toEqual({ mounted: false, same: true, loaded: true });
      expect(calls.https).toBe(1);
      expect(setCookies(res)).toEqual([]);
      expect(res.headers['vary']).toBeUndefined();
    });
  });

  describe('when a sync discriminator says yes', () => {
    it('should mount the session, asking the discriminator once per request', async () => {
      const jar = new CookieJar();
      const res = await request(app.getHttpServer())
        .post('/secure')
        .set('X-Forwarded-Proto', 'https')
        .expect(201);
      expect(res.body).toEqual({ mounted: true, same: true, loaded: true });
      expect(calls.https).toBe(1);
      jar.store(res);
      expect(jar.get('secure_sid')).toBeDefined();
      const read = await request(app.getHttpServer())
        .get('/secure')
        .set('X-Forwarded-Proto', 'https')
        .set('Cookie', jar.header())
        .expect(200);
      expect(read.body).toEqual({ token: 't' });
    });

    it('should not mount it for the same cookie over plain http', async () => {
      const jar = new CookieJar().store(
        await request(app.getHttpServer()).post('/secure').set('X-Forwarded-Proto', 'https'),
      );
      const read = await request(app.getHttpServer())
        .get('/secure')
        .set('Cookie', jar.header())
        .expect(200);
      expect(read.body).toEqual({ token: 'unmounted' });
    });
  });

  describe('when the discriminator is async', () => {
    it('should wait for it and mount null when it says no', async () => {
      const res = await request(app.getHttpServer()).post('/beta').expect(201);
      expect(res.body).toEqual({ mounted: false });
      expect(setCookies(res)).toEqual([]);
      expect(calls.beta).toBe(1);
    });

    it('should wait for it and mount the session when it says yes', async () => {
      const res = await request(app.getHttpServer()).post('/beta').set('X-Beta', '1').expect(201);
      expect(res.body).toEqual({ mounted: true });
      expect(setCookies(res).map((c) => c.split('=')[0])).toEqual(['beta']);
    });
  });

  describe('when a handler asks for an unregistered namespace', () => {
    it('should reject with UnknownNamespaceError naming the registered ones', async () => {
      const res = await request(app.getHttpServer()).get('/unknown').expect(200);
      expect(res.body).toEqual({
        name: 'UnknownNamespaceError',
        message:
          'Unknown session namespace "carts". Registered namespaces: "ui", "secure", "beta". Register it in SessionMultiModule.forRoot(), forRootAsync() or forFeature().',
      });
    });
  });

  describe('when invalidating all namespaces while one is unmounted', () => {
    it('should skip the null mount instead of crashing (a pyramid_session_multi defect)', async () => {
      await request(app.getHttpServer()).post('/logout').expect(201);
    });
  });
});
