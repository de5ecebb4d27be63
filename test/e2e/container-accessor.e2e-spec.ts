import { Controller, Get, Req, type INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { SessionMultiRequest } from '../../src/request/session-multi.middleware';
import { SessionContainer } from '../../src/request/session-container';
import { SignedCookieSessionFactory } from '../../src/factories/signed-cookie-session.factory';
import { createTestApp, SECRET_A } from '../support/create-test-app';
import { containerCreated } from '../../src/module/http-adapter-support';

/** Whether a container exists for the request yet (without creating one). */
function holdsContainer(req: object): boolean {
  return containerCreated(req);
}

@Controller()
class AccessorController {
  @Get('untouched')
  untouched(@Req() req: SessionMultiRequest): { created: boolean } {
    return { created: holdsContainer(req) };
  }

  @Get('touched')
  touched(@Req() req: SessionMultiRequest): { before: boolean; after: boolean; same: boolean } {
    const before = holdsContainer(req);
    const first = req.sessionMulti;
    return {
      before,
      after: holdsContainer(req) && first instanceof SessionContainer,
      same: first === req.sessionMulti,
    };
  }

  @Get('from-middleware')
  fromMiddleware(@Req() req: SessionMultiRequest & { seenByMiddleware?: boolean }): unknown {
    return { seen: req.seenByMiddleware === true };
  }
}

describe('req.sessionMulti on Express', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createTestApp({
      sessions: [
        {
          namespace: 'ui',
          factory: new SignedCookieSessionFactory({ secret: SECRET_A, cookieName: 'ui' }),
        },
      ],
      controllers: [AccessorController],
      configure: (nest) => {
        // An application middleware registered before the module's: the container is there too.
        nest.use(
          (
            req: SessionMultiRequest & { seenByMiddleware?: boolean },
            _res: unknown,
            next: () => void,
          ) => {
            if (req.url === '/from-middleware') {
              req.seenByMiddleware = req.sessionMulti instanceof SessionContainer;
            }
            next();
          },
        );
      },
    });
  });

  afterAll(() => app.close());

  describe('when nothing reads it', () => {
    it('should never create the container (a request that touches no session does no work)', async () => {
      const res = await request(app.getHttpServer()).get('/untouched').expect(200);
      expect(res.body).toEqual({ created: false });
    });
  });

  describe('when code reads it', () => {
    it('should create one container on first read and return it afterwards', async () => {
      const res = await request(app.getHttpServer()).get('/touched').expect(200);
      expect(res.body).toEqual({ before: false, after: true, same: true });
    });
  });

  describe('when an application middleware reads it', () => {
    it('should find the container there as well', async () => {
      const res = await request(app.getHttpServer()).get('/from-middleware').expect(200);
      expect(res.body).toEqual({ seen: true });
    });
  });
});
