import { Test } from '@nestjs/testing';
import { RedisSessionFactory } from '../../src/factories/redis-session.factory';
import { ServerSessionFactory } from '../../src/factories/server-session.factory';
import type { ServerSessionOptions } from '../../src/factories/server-session.options';
import { SignedCookieSessionFactory } from '../../src/factories/signed-cookie-session.factory';
import {
  headerTransport,
  queryTransport,
} from '../../src/factories/transports/session-id-transport';
import type { NamespaceRegistration } from '../../src/module/session-multi-options.interface';
import { SessionMultiModule } from '../../src/module/session-multi.module';
import { SessionConfigurationError } from '../../src/session/session-configuration.error';
import { MemoryStore } from '../../src/stores/memory.store';
import { SECRET_A } from '../support/create-test-app';

function server(options: Partial<ServerSessionOptions>): ServerSessionFactory {
  return new ServerSessionFactory({
    store: new MemoryStore({ sweepInterval: 0 }),
    secret: SECRET_A,
    ...options,
  });
}

async function compile(sessions: NamespaceRegistration[]): Promise<void> {
  const moduleRef = await Test.createTestingModule({
    imports: [SessionMultiModule.forRoot({ sessions })],
  }).compile();
  await moduleRef.close();
}

describe('SessionMultiModule start-up rules with id transports', () => {
  describe('when two namespaces carry their ids in the same header', () => {
    it('should refuse the second, matching the name in any case', async () => {
      await expect(
        compile([
          { namespace: 'api', factory: server({ transport: headerTransport() }) },
          {
            namespace: 'admin',
            factory: server({ transport: headerTransport({ name: 'x-session-id' }) }),
          },
        ]),
      ).rejects.toThrow(
        new SessionConfigurationError(
          'Namespace "admin": header "x-session-id" already carries the session id of namespace "api". Give each namespace its own headerTransport({ name }).',
        ),
      );
    });
  });

  describe('when two namespaces carry their ids in the same query parameter', () => {
    it('should refuse the second', async () => {
      await expect(
        compile([
          { namespace: 'a', factory: server({ transport: queryTransport({ param: 'sid' }) }) },
          { namespace: 'b', factory: server({ transport: queryTransport({ param: 'sid' }) }) },
        ]),
      ).rejects.toThrow(
        new SessionConfigurationError(
          'Namespace "b": query parameter "sid" already carries the session id of namespace "a". Give each namespace its own queryTransport({ param }).',
        ),
      );
    });
  });

  describe('when header, query and cookie namespaces are mixed', () => {
    it('should need no cookie name for the header and query ones', async () => {
      await expect(
        compile([
          {
            namespace: 'ui',
            factory: new SignedCookieSessionFactory({ secret: SECRET_A, cookieName: 'ui' }),
          },
          { namespace: 'api', factory: server({ transport: headerTransport() }) },
          {
            namespace: 'api2',
            factory: server({ transport: headerTransport({ name: 'X-Other' }) }),
          },
          { namespace: 'kiosk', factory: server({ transport: queryTransport({ param: 'sid' }) }) },
          {
            namespace: 'redis',
            factory: new RedisSessionFactory({
              redis: { url: 'redis://127.0.0.1:1' },
              secret: SECRET_A,
              transport: headerTransport({ name: 'X-Redis-Session' }),
            }),
          },
        ]),
      ).resolves.toBeUndefined();
    });
  });

  describe('when a cookie-transport server namespace has no cookie name', () => {
    it('should refuse it with the cookie-name rule', async () => {
      await expect(compile([{ namespace: 'cart', factory: server({}) }])).rejects.toThrow(
        new SessionConfigurationError(
          'Namespace "cart": the factory has no cookie name. Set cookieName in the factory options.',
        ),
      );
    });
  });
});
