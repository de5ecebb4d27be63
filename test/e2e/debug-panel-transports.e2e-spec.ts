import { Controller, Get, Post, type INestApplication } from '@nestjs/common';
import request from 'supertest';
import { SessionMultiDebugModule } from '../../src/debug/session-multi-debug.module';
import { ServerSessionFactory } from '../../src/factories/server-session.factory';
import {
  headerTransport,
  queryTransport,
} from '../../src/factories/transports/session-id-transport';
import { Session } from '../../src/request/session.decorator';
import { MemoryStore } from '../../src/stores/memory.store';
import { ADAPTERS, createTestApp, SECRET_A, SECRET_B } from '../support/create-test-app';
import { lastId, recordOf } from './debug-panel-fixtures';

@Controller()
class TransportController {
  @Post('api')
  login(@Session('api') api: Session): { ok: boolean } {
    api.set('user', 'ann');
    return { ok: true };
  }

  @Get('none')
  none(): string {
    return 'nothing touched';
  }
}

describe.each(ADAPTERS)('SessionMultiDebugModule with id transports (%s)', (adapter) => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createTestApp({
      adapter,
      sessions: [
        {
          namespace: 'api',
          factory: new ServerSessionFactory({
            secret: SECRET_A,
            store: new MemoryStore(),
            transport: headerTransport(),
          }),
        },
        {
          namespace: 'kiosk',
          factory: new ServerSessionFactory({
            secret: SECRET_B,
            store: new MemoryStore(),
            transport: queryTransport({ param: 'k' }),
          }),
        },
      ],
      controllers: [TransportController],
      imports: [SessionMultiDebugModule.forRoot({ enabled: true, capture: 'all' })],
    });
  });

  afterAll(() => app?.close());

  describe('when the ids travel in a header and in the query string', () => {
    it('should name where each id travels and whether the client sent it', async () => {
      const server = app.getHttpServer();
      const login = await request(server).post('/api').expect(201);
      const id = login.headers['x-session-id'] as string;

      const before = await lastId(app);
      // The query value is not verified for an untouched namespace: any value shows as sent.
      await request(server).get('/none?k=some.value').set('X-Session-Id', id).expect(200);
      const record = await recordOf(app, '/none', before);
      const [api, kioskNs] = record.namespaces;
      expect(api).toMatchObject({
        namespace: 'api',
        carrier: 'header "X-Session-Id"',
        cookiePresent: true,
        touched: false,
      });
      expect(api!.idIn).toMatch(/^[\w-]{16}$/);
      expect(api!.note).toContain('header "X-Session-Id"');
      expect(kioskNs).toMatchObject({
        namespace: 'kiosk',
        carrier: 'query parameter "k"',
        cookiePresent: true,
        touched: false,
      });
      expect(JSON.stringify(record)).not.toContain(id.split('.')[0]);
    });

    it('should say the id was not sent when the request carries none', async () => {
      const before = await lastId(app);
      await request(app.getHttpServer()).get('/none').expect(200);
      const record = await recordOf(app, '/none', before);
      expect(record.namespaces[0]).toMatchObject({ cookiePresent: false, idIn: null });
      expect(record.namespaces[0]!.note).toBe('No header "X-Session-Id": nothing to show.');
    });
  });
});
