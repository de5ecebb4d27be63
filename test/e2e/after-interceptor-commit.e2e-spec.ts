import {
  Catch,
  Controller,
  Get,
  Post,
  UseFilters,
  type ArgumentsHost,
  type CallHandler,
  type ExceptionFilter,
  type ExecutionContext,
  type INestApplication,
  type NestInterceptor,
} from '@nestjs/common';
import { from, mergeMap, type Observable } from 'rxjs';
import request from 'supertest';
import { SignedCookieSessionFactory } from '../../src/factories/signed-cookie-session.factory';
import { ServerSessionFactory } from '../../src/factories/server-session.factory';
import { MemoryStore } from '../../src/stores/memory.store';
import type { SessionMultiRequest } from '../../src/request/session-multi.middleware';
import { Session } from '../../src/request/session.decorator';
import { ADAPTERS, createTestApp, SECRET_A, SECRET_B } from '../support/create-test-app';
import { CookieJar } from '../support/cookie-jar';
import { sendWith, type NativeResponse } from '../support/native-response';

/**
 * A global interceptor, so it runs outside the route's commit interceptor: on `/stamp` it
 * changes the sessions after the commit interceptor's commit, before Nest writes the response.
 */
class StampAfterInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<SessionMultiRequest>();
    if (context.getHandler().name !== 'stamp') {
      return next.handle();
    }
    return next.handle().pipe(
      mergeMap((value: unknown) =>
        from(
          (async () => {
            for (const ns of ['ui', 'cart']) {
              (await req.sessionMulti!.get(ns))!.set('stamped', true);
            }
            return value;
          })(),
        ),
      ),
    );
  }
}

class Refused extends Error {}

/** Writes into the session while formatting the error. */
@Catch(Refused)
class RememberRefusalFilter implements ExceptionFilter {
  async catch(_error: Refused, host: ArgumentsHost): Promise<void> {
    const req = host.switchToHttp().getRequest<SessionMultiRequest>();
    (await req.sessionMulti!.get('cart'))!.set('refused', true);
    sendWith(host.switchToHttp().getResponse<NativeResponse>(), 422, { refused: true });
  }
}

@Controller()
class LateController {
  @Post('stamp')
  stamp(@Session('ui') ui: Session, @Session('cart') cart: Session): object {
    ui.set('handler', 1);
    cart.set('handler', 1);
    return { ok: true };
  }

  @Post('refuse')
  @UseFilters(RememberRefusalFilter)
  refuse(@Session('cart') cart: Session): never {
    cart.set('tried', true);
    throw new Refused();
  }

  @Get('show')
  show(@Session('ui') ui: Session, @Session('cart') cart: Session): object {
    return { ui: ui.toJSON(), cart: cart.toJSON() };
  }
}

describe.each(ADAPTERS)(
  'Session changes after the commit interceptor committed (%s)',
  (adapter) => {
    let app: INestApplication;

    beforeAll(async () => {
      app = await createTestApp({
        adapter,
        sessions: [
          {
            namespace: 'ui',
            factory: new SignedCookieSessionFactory({ secret: SECRET_A, cookieName: 'ui' }),
          },
          {
            namespace: 'cart',
            factory: new ServerSessionFactory({
              secret: SECRET_B,
              cookieName: 'cart',
              store: new MemoryStore(),
            }),
          },
        ],
        controllers: [LateController],
        configure: (nest) => {
          nest.useGlobalInterceptors(new StampAfterInterceptor());
        },
      });
    });

    afterAll(() => app.close());

    it('should save what an outer interceptor changes after the commit', async () => {
      const jar = new CookieJar();
      jar.store(await request(app.getHttpServer()).post('/stamp').expect(201));
      const shown = await request(app.getHttpServer())
        .get('/show')
        .set('Cookie', jar.header())
        .expect(200);
      expect(shown.body).toEqual({
        ui: { handler: 1, stamped: true },
        cart: { handler: 1, stamped: true },
      });
    });

    it("should save what an exception filter changes while formatting the handler's error", async () => {
      const jar = new CookieJar();
      jar.store(await request(app.getHttpServer()).post('/refuse').expect(422));
      const shown = await request(app.getHttpServer())
        .get('/show')
        .set('Cookie', jar.header())
        .expect(200);
      expect(shown.body.cart).toEqual({ tried: true, refused: true });
    });
  },
);
