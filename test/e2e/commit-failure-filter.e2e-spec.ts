import {
  Catch,
  Controller,
  HttpException,
  Post,
  type ArgumentsHost,
  type ExceptionFilter,
  type INestApplication,
} from '@nestjs/common';
import request from 'supertest';
import { RedisSessionFactory } from '../../src/factories/redis-session.factory';
import { Session } from '../../src/request/session.decorator';
import { setCookieFor } from '../support/cookie-jar';
import { ADAPTERS, createTestApp, SECRET_A } from '../support/create-test-app';
import { sendWith, type NativeResponse } from '../support/native-response';
import { startRedisServer, type RedisServer } from '../support/redis-server';

/** The application's own error format, for every exception. */
@Catch()
class MyFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const status = error instanceof HttpException ? error.getStatus() : 500;
    sendWith(host.switchToHttp().getResponse<NativeResponse>(), status, {
      error: 'custom',
      status,
    });
  }
}

let server: RedisServer;

@Controller()
class WriteController {
  @Post('write')
  write(@Session('auth') auth: Session): string {
    auth.set('user', 'ada');
    // The commit's SET goes to a server that no longer answers (SIGSTOP).
    server.freeze();
    return 'written';
  }
}

describe.each(ADAPTERS)('SessionCommitInterceptor commit failure on %s', (adapter) => {
  let app: INestApplication;

  beforeAll(async () => {
    server = await startRedisServer();
    app = await createTestApp({
      adapter,
      sessions: [
        {
          namespace: 'auth',
          factory: new RedisSessionFactory({
            redis: { url: server.url, prefix: 'auth:', commandTimeout: 300 },
            secret: SECRET_A,
            cookieName: 'auth',
          }),
        },
      ],
      controllers: [WriteController],
      configure: (a) => a.useGlobalFilters(new MyFilter()),
    });
  }, 60_000);

  afterEach(() => server.thaw());

  afterAll(async () => {
    server?.thaw();
    await app?.close();
    await server?.stop();
  });

  describe('when Redis is frozen during the write of an ordinary handler', () => {
    it("should hand the 503 to the application's global filter", async () => {
      try {
        const res = await request(app.getHttpServer()).post('/write').expect(503);
        expect(res.body).toEqual({ error: 'custom', status: 503 });
        expect(setCookieFor(res, 'auth')).toBeUndefined();
      } finally {
        server.thaw();
      }
    });
  });
});
