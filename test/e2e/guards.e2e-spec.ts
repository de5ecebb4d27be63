import {
  Controller,
  Get,
  Injectable,
  Post,
  Req,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
  type INestApplication,
} from '@nestjs/common';
import request from 'supertest';
import { SignedCookieSessionFactory } from '../../src/factories/signed-cookie-session.factory';
import type { NamespacedSession } from '../../src/session/session';
import type { SessionMultiRequest } from '../../src/request/session-multi.middleware';
import { Session } from '../../src/request/session.decorator';
import { ADAPTERS, createTestApp, SECRET_A, SECRET_B } from '../support/create-test-app';
import { CookieJar, setCookies } from '../support/cookie-jar';

type GuardedRequest = SessionMultiRequest & { seenByGuard?: NamespacedSession | null };

/** Lets in only visitors whose `auth` session holds a user. */
@Injectable()
class LoggedInGuard implements CanActivate {
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<GuardedRequest>();
    const auth = await req.sessionMulti!.get('auth');
    req.seenByGuard = auth;
    return typeof auth?.get('user') === 'string';
  }
}

@Controller()
class AccountController {
  @Post('login')
  login(@Session('auth') auth: Session): string {
    auth.set('user', 'ada');
    return 'welcome';
  }

  @Get('private')
  @UseGuards(LoggedInGuard)
  private(@Session('auth') auth: Session, @Session('ui') ui: Session): Record<string, unknown> {
    ui.set('visits', ((ui.get('visits') as number | undefined) ?? 0) + 1);
    return { user: auth.get('user') };
  }

  @Get('identity')
  @UseGuards(LoggedInGuard)
  identity(@Session('auth') auth: Session, @Req() req: GuardedRequest): Record<string, unknown> {
    return { guardSawSession: req.seenByGuard != null, same: req.seenByGuard === auth };
  }
}

describe.each(ADAPTERS)('Guards that read a session on %s', (adapter) => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createTestApp({
      adapter,
      sessions: [
        {
          namespace: 'auth',
          factory: new SignedCookieSessionFactory({ secret: SECRET_A, cookieName: 'auth' }),
        },
        {
          namespace: 'ui',
          factory: new SignedCookieSessionFactory({ secret: SECRET_B, cookieName: 'ui' }),
        },
      ],
      controllers: [AccountController],
    });
  }, 60_000);

  afterAll(() => app.close());

  describe('when the visitor is not logged in', () => {
    it('should answer 403 without setting any cookie', async () => {
      const res = await request(app.getHttpServer()).get('/private').expect(403);
      expect(setCookies(res)).toEqual([]);
      expect(res.headers['vary']).toBe('Cookie');
    });
  });

  describe('when the visitor is logged in', () => {
    it('should let the request through and the handler use other namespaces', async () => {
      const jar = new CookieJar().store(await request(app.getHttpServer()).post('/login'));
      const res = await request(app.getHttpServer())
        .get('/private')
        .set('Cookie', jar.header())
        .expect(200);
      expect(res.body).toEqual({ user: 'ada' });
      expect(setCookies(res).map((c) => c.split('=')[0])).toEqual(['ui']);
    });

    it('should hand the handler the very session the guard loaded', async () => {
      const jar = new CookieJar().store(await request(app.getHttpServer()).post('/login'));
      const res = await request(app.getHttpServer())
        .get('/identity')
        .set('Cookie', jar.header())
        .expect(200);
      expect(res.body).toEqual({ guardSawSession: true, same: true });
    });
  });
});
