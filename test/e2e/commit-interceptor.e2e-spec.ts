import {
  Catch,
  Controller,
  Get,
  Res,
  UseFilters,
  UseInterceptors,
  type ArgumentsHost,
  type ExceptionFilter,
  type INestApplication,
} from '@nestjs/common';
import request from 'supertest';
import { Session } from '../../src/request/session.decorator';
import { SessionCommitInterceptor } from '../../src/request/session-commit.interceptor';
import { SignedCookieSessionFactory } from '../../src/factories/signed-cookie-session.factory';
import { ADAPTERS, createTestApp, SECRET_A } from '../support/create-test-app';
import { setCookieFor } from '../support/cookie-jar';
import { redirect, sendWith, type NativeResponse } from '../support/native-response';

/** Answers every exception with a redirect, the way a login flow does. */
@Catch()
class RedirectFilter implements ExceptionFilter {
  catch(_error: unknown, host: ArgumentsHost): void {
    redirect(host.switchToHttp().getResponse<NativeResponse>(), 302, '/login');
  }
}

@Controller()
@UseFilters(RedirectFilter)
class FlowController {
  @Get('plain-throw')
  plainThrow(@Session('ui') ui: Session): never {
    ui.set('returnTo', '/cart');
    throw new Error('not logged in');
  }

  @Get('intercepted-throw')
  @UseInterceptors(SessionCommitInterceptor)
  interceptedThrow(@Session('ui') ui: Session): never {
    ui.set('returnTo', '/cart');
    throw new Error('not logged in');
  }

  @Get('res-404')
  res404(@Session('ui') ui: Session, @Res() res: NativeResponse): void {
    ui.set('seen', true);
    sendWith(res, 404, 'nothing here');
  }
}

describe.each(ADAPTERS)('SessionCommitInterceptor on session routes on %s', (adapter) => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createTestApp({
      adapter,
      sessions: [
        {
          namespace: 'ui',
          factory: new SignedCookieSessionFactory({
            secret: SECRET_A,
            cookieName: 'ui',
            cookieOnException: false,
          }),
        },
      ],
      controllers: [FlowController],
    });
  }, 60_000);

  afterAll(() => app.close());

  describe('when a filter turns a thrown error into a redirect', () => {
    it('should see the thrown error and withhold the cookie (cookieOnException: false)', async () => {
      const res = await request(app.getHttpServer()).get('/plain-throw').expect(302);
      expect(setCookieFor(res, 'ui')).toBeUndefined();
    });
  });

  describe('when the route also lists SessionCommitInterceptor itself', () => {
    it('should behave the same (the interceptor is added once)', async () => {
      const res = await request(app.getHttpServer()).get('/intercepted-throw').expect(302);
      expect(setCookieFor(res, 'ui')).toBeUndefined();
    });
  });

  describe('when a @Res() handler answers an error status itself without throwing', () => {
    it('should count it as an ordinary response and send the cookie', async () => {
      const res = await request(app.getHttpServer()).get('/res-404').expect(404);
      expect(setCookieFor(res, 'ui')).toBeDefined();
    });
  });
});
