import { Controller, Get, Module, type INestApplication } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import express from 'express';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { RedisSessionFactory } from '../../src/factories/redis-session.factory';
import { SignedCookieSessionFactory } from '../../src/factories/signed-cookie-session.factory';
import { SessionMultiModule } from '../../src/module/session-multi.module';
import { Session } from '../../src/request/session.decorator';
import type { NamespacedSession } from '../../src/session/session';
import { SessionConfigurationError } from '../../src/session/session-configuration.error';
import { ADAPTERS, createTestApp, SECRET_A, SECRET_B } from '../support/create-test-app';

const signed = (cookieName: string, secret = SECRET_A) =>
  new SignedCookieSessionFactory({ secret, cookieName });

@Controller()
class CartController {
  @Get('cart')
  cart(@Session('cart') cart: NamespacedSession): object {
    return cart.toJSON();
  }
}

/** A feature module that configures the library itself, as a newcomer might. */
@Module({
  imports: [
    SessionMultiModule.forRoot({ sessions: [{ namespace: 'cart', factory: signed('cart') }] }),
  ],
  controllers: [CartController],
})
class CartFeatureModule {}

describe.each(ADAPTERS)('module set-up mistakes (%s)', (adapter) => {
  let app: INestApplication | undefined;

  afterEach(async () => {
    await app?.close().catch(() => undefined);
    app = undefined;
  });

  it('refuses a second forRoot() in one application, pointing to forFeature()', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        SessionMultiModule.forRoot({
          sessions: [{ namespace: 'ui', factory: signed('ui', SECRET_B) }],
        }),
        CartFeatureModule,
      ],
    }).compile();
    app =
      adapter === 'fastify'
        ? moduleRef.createNestApplication(new FastifyAdapter(), { logger: false })
        : moduleRef.createNestApplication({ logger: false });

    const init = app.init();
    await expect(init).rejects.toBeInstanceOf(SessionConfigurationError);
    await expect(init).rejects.toThrow(/configured twice in one application.*forFeature\(\)/);
  });
});

describe.each(ADAPTERS)('req.secure in a discriminator (%s)', (adapter) => {
  let app: INestApplication;
  const seen: unknown[] = [];

  @Controller()
  class HttpsController {
    @Get('h')
    h(@Session('https_only') s: NamespacedSession | null): object {
      return { mounted: s !== null };
    }
  }

  beforeAll(async () => {
    app = await createTestApp({
      adapter,
      sessions: [
        {
          namespace: 'https_only',
          factory: new SignedCookieSessionFactory({
            secret: SECRET_A,
            cookieName: 'h',
            secure: true,
          }),
          discriminator: (req) => {
            seen.push(req.secure);
            return req.secure === true;
          },
        },
      ],
      controllers: [HttpsController],
    });
  }, 60_000);

  afterAll(() => app.close());

  it('is false on plain http (defined, as on Express), so an https-only namespace is not mounted', async () => {
    seen.length = 0;
    await request(app.getHttpServer()).get('/h').expect(200, { mounted: false });
    expect(seen).toEqual([false]);
  });
});

describe('an option named as another session library names it', () => {
  it("suggests this library's name for it", () => {
    const factory = new RedisSessionFactory({
      secret: SECRET_A,
      cookieName: 'auth',
      redis: { url: 'redis://127.0.0.1:1' },
      ...({ ttl: 3600 } as object),
    });
    expect(() => factory.validate('auth')).toThrow('unknown option "ttl". Did you mean "timeout"?');
  });
});

describe('an application hook and a reused HTTP instance', () => {
  @Controller()
  class UiController {
    @Get('ui')
    ui(@Session('ui') ui: NamespacedSession): object {
      ui.set('seen', true);
      return ui.toJSON();
    }
  }

  const compile = () =>
    Test.createTestingModule({
      imports: [
        SessionMultiModule.forRoot({ sessions: [{ namespace: 'ui', factory: signed('ui') }] }),
      ],
      controllers: [UiController],
    }).compile();

  it("runs an async Fastify request hook the application set before the module's", async () => {
    let ran = 0;
    const adapter = new FastifyAdapter();
    adapter.setOnRequestHook(async () => {
      ran++;
    });
    const app = (await compile()).createNestApplication(adapter, { logger: false });
    try {
      await app.init();
      await (app.getHttpAdapter().getInstance() as { ready(): Promise<unknown> }).ready();
      await request(app.getHttpServer()).get('/ui').timeout(5000).expect(200, { seen: true });
      expect(ran).toBe(1);
    } finally {
      await app.close();
    }
  });

  it('serves a new application on an Express instance an earlier, closed one used', async () => {
    const server = express();
    const first = (await compile()).createNestApplication(new ExpressAdapter(server), {
      logger: false,
    });
    await first.init();
    await first.close();

    const second = (await compile()).createNestApplication(new ExpressAdapter(server), {
      logger: false,
    });
    try {
      await second.init();
      await request(second.getHttpServer()).get('/ui').expect(200, { seen: true });
    } finally {
      await second.close();
    }
  });
});
