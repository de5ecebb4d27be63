import { Controller, Get, Post, type INestApplication } from '@nestjs/common';
import request from 'supertest';
import { RedisSessionFactory } from '../../src/factories/redis-session.factory';
import { headerTransport } from '../../src/factories/transports/session-id-transport';
import { Session } from '../../src/request/session.decorator';
import { ADAPTERS, createTestApp, SECRET_A } from '../support/create-test-app';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { appCommands } from './server-session-fixtures';

@Controller()
class TokenController {
  @Post('login')
  login(@Session('api') api: Session): { ok: boolean } {
    api.set('user', 'ann');
    return { ok: true };
  }

  @Get('me')
  me(@Session('api') api: Session): { user: unknown } {
    return { user: api.get('user') ?? null };
  }
}

describe.each(ADAPTERS)('RedisSessionFactory with headerTransport (%s)', (adapter) => {
  let server: RedisServer;
  let app: INestApplication;

  beforeAll(async () => {
    server = await startRedisServer();
    app = await createTestApp({
      adapter,
      sessions: [
        {
          namespace: 'api',
          factory: new RedisSessionFactory({
            redis: { url: server.url, prefix: 'api:' },
            secret: SECRET_A,
            transport: headerTransport({ name: 'X-Api-Session' }),
          }),
        },
      ],
      controllers: [TokenController],
    });
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await server?.stop();
  });

  describe('when the header holds a forged id', () => {
    it('should send no command to Redis and answer an empty header for the refused id', async () => {
      const http = () => request(app.getHttpServer());
      const login = await http().post('/login').expect(201);
      const genuine = login.headers['x-api-session'] as string;
      const [id] = genuine.split('.');
      await server.resetStats();
      const forged = await http()
        .get('/me')
        .set('X-Api-Session', `${id}.${'A'.repeat(86)}`)
        .expect(200, { user: null });
      expect(appCommands(await server.commandStats())).toEqual({});
      expect(forged.headers['set-cookie']).toBeUndefined();
      // The refused id is cleared on the response.
      expect(forged.headers['x-api-session']).toBe('');

      await server.resetStats();
      await http().get('/me').set('X-Api-Session', genuine).expect(200, { user: 'ann' });
      expect(appCommands(await server.commandStats())).toEqual({ get: 1, expire: 1 });
    });
  });
});
