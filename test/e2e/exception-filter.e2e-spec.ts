import {
  BadRequestException,
  Catch,
  Controller,
  ForbiddenException,
  Post,
  UseFilters,
  UseGuards,
  type ArgumentsHost,
  type CanActivate,
  type ExceptionFilter,
  type ExecutionContext,
  type INestApplication,
} from '@nestjs/common';
import request from 'supertest';
import { SignedCookieSessionFactory } from '../../src/factories/signed-cookie-session.factory';
import type { SessionMultiRequest } from '../../src/request/session-multi.middleware';
import { Session } from '../../src/request/session.decorator';
import { ADAPTERS, createTestApp, SECRET_A } from '../support/create-test-app';
import { setCookieFor } from '../support/cookie-jar';
import { sendWith, type NativeResponse } from '../support/native-response';

class OutOfStockError extends Error {}

/** Handles the domain error itself, with its own status and body. */
@Catch(OutOfStockError)
class OutOfStockFilter implements ExceptionFilter {
  catch(_error: OutOfStockError, host: ArgumentsHost): void {
    sendWith(host.switchToHttp().getResponse<NativeResponse>(), 409, { error: 'out of stock' });
  }
}

/** Records the attempt in the session, then refuses. */
class CountingDenyGuard implements CanActivate {
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<SessionMultiRequest>();
    const ui = await req.sessionMulti!.get('ui');
    ui!.set('denied', ((ui!.get('denied') as number | undefined) ?? 0) + 1);
    throw new ForbiddenException('no entry');
  }
}

@Controller()
class FailingController {
  @Post('http-error')
  httpError(@Session('ui') ui: Session): never {
    ui.set('tried', true);
    throw new BadRequestException('bad input');
  }

  @Post('crash')
  crash(@Session('ui') ui: Session): never {
    ui.set('tried', true);
    throw new Error('unexpected');
  }

  @Post('guarded')
  @UseGuards(CountingDenyGuard)
  guarded(): string {
    return 'unreachable';
  }

  @Post('filtered')
  @UseFilters(OutOfStockFilter)
  filtered(@Session('ui') ui: Session): never {
    ui.set('tried', true);
    throw new OutOfStockError();
  }

  @Post('filtered-guard')
  @UseFilters({
    catch: (_e: unknown, host: ArgumentsHost) =>
      sendWith(host.switchToHttp().getResponse<NativeResponse>(), 418, 'custom'),
  } as ExceptionFilter)
  @UseGuards(CountingDenyGuard)
  filteredGuard(): string {
    return 'unreachable';
  }
}

describe.each(ADAPTERS.flatMap((adapter) => [true, false].map((c) => [adapter, c] as const)))(
  'Exceptions on %s with cookieOnException: %p',
  (adapter, cookieOnException) => {
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
              cookieOnException,
            }),
          },
        ],
        controllers: [FailingController],
      });
    }, 60_000);

    afterAll(() => app.close());

    const expectation = cookieOnException ? 'should still set' : 'should not set';

    describe('when the handler throws an HttpException', () => {
      it(`${expectation} the session cookie on the error response`, async () => {
        const res = await request(app.getHttpServer()).post('/http-error').expect(400);
        expect(res.body.message).toBe('bad input');
        expect(setCookieFor(res, 'ui') !== undefined).toBe(cookieOnException);
      });
    });

    describe('when the handler throws an unexpected error', () => {
      it(`${expectation} the session cookie on the 500`, async () => {
        const res = await request(app.getHttpServer()).post('/crash').expect(500);
        expect(setCookieFor(res, 'ui') !== undefined).toBe(cookieOnException);
      });
    });

    describe('when a guard changes the session and throws', () => {
      it(`${expectation} the session cookie on the 403`, async () => {
        const res = await request(app.getHttpServer()).post('/guarded').expect(403);
        expect(res.body.message).toBe('no entry');
        expect(setCookieFor(res, 'ui') !== undefined).toBe(cookieOnException);
      });
    });

    describe('when an exception filter answers for the handler', () => {
      it(`${expectation} the session cookie on the filter response`, async () => {
        const res = await request(app.getHttpServer()).post('/filtered').expect(409);
        expect(res.body).toEqual({ error: 'out of stock' });
        expect(setCookieFor(res, 'ui') !== undefined).toBe(cookieOnException);
      });
    });

    describe('when an exception filter answers for a guard', () => {
      it(`${expectation} the session cookie on the filter response`, async () => {
        const res = await request(app.getHttpServer()).post('/filtered-guard').expect(418);
        expect(res.text).toBe('custom');
        expect(setCookieFor(res, 'ui') !== undefined).toBe(cookieOnException);
      });
    });
  },
);
