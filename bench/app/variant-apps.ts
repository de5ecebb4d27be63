import { Module, type INestApplication, type Type } from '@nestjs/common';
import cookieSession from 'cookie-session';
import expressSession from 'express-session';
import { RedisStore } from 'connect-redis';
import { createClient } from 'redis';
import {
  SessionMultiModule,
  SignedCookieSessionFactory,
  type NamespaceRegistration,
} from '../../src/index';
import { BENCH_SECRET, type VariantName } from '../support/variants';
import {
  BareBenchController,
  bareController,
  PeerBenchController,
  oursController,
} from './controllers';
import { floorRedisController } from './floor-redis';
import { benchRedisClient, oursRedisRegistration } from './ours-redis';

/** How one variant's Nest app is put together. */
export interface VariantApp {
  module: Type;
  /** Runs before `app.init()` (peers mount their middleware here). */
  configure?(app: INestApplication): void;
  /** Closes what the variant opened itself (the peers' Redis client). */
  close?(): Promise<void>;
}

function appModule(controller: Type, imports: Type[] | ReturnType<typeof forRoot>[] = []): Type {
  @Module({ imports, controllers: [controller] })
  class BenchAppModule {}
  return BenchAppModule;
}

function forRoot(sessions: NamespaceRegistration[]) {
  return SessionMultiModule.forRoot({ sessions });
}

function signed(
  namespace: string,
  cookieName: string,
  secret = BENCH_SECRET,
): NamespaceRegistration {
  return { namespace, factory: new SignedCookieSessionFactory({ secret, cookieName }) };
}

function ours(
  sessions: NamespaceRegistration[],
  touched: string,
  close?: () => Promise<void>,
): VariantApp {
  return {
    close,
    module: appModule(
      oursController(
        touched,
        sessions.map((s) => s.namespace),
      ),
      [forRoot(sessions)],
    ),
  };
}

/** express-session with connect-redis on its own `redis` client, as the peer variants use it. */
async function expressSessionRedisMiddleware(redisUrl: string, rolling: boolean) {
  const client = createClient({ url: redisUrl });
  await client.connect();
  const store = new RedisStore({ client, prefix: 'es:' });
  return {
    middleware: expressSession({
      store,
      secret: BENCH_SECRET,
      name: 'sid',
      resave: false,
      saveUninitialized: false,
      rolling,
    }),
    close: async () => {
      await client.quit();
    },
  };
}

async function expressSessionRedis(redisUrl: string, rolling: boolean): Promise<VariantApp> {
  const { middleware, close } = await expressSessionRedisMiddleware(redisUrl, rolling);
  return {
    module: appModule(PeerBenchController),
    configure: (app) => {
      app.use(middleware);
    },
    close,
  };
}

/** Builds the app of one variant. */
export async function buildVariant(name: VariantName, redisUrl: string): Promise<VariantApp> {
  switch (name) {
    case 'bare':
      return { module: appModule(BareBenchController) };
    case 'bare-intercepted':
      return { module: appModule(bareController('', true)) };
    case 'floor-redis-read':
    case 'floor-redis-write':
    case 'floor-redis-read-intercepted':
    case 'floor-redis-write-intercepted': {
      const client = await benchRedisClient(redisUrl);
      const intercepted = name.endsWith('-intercepted');
      return {
        module: appModule(floorRedisController(client, `bench:${name}:`, intercepted)),
        close: () => client.quit().then(() => undefined),
      };
    }
    case 'ours-signed':
      return ours([signed('main', 'main')], 'main');
    case 'cookie-session':
      return {
        module: appModule(PeerBenchController),
        configure: (app) => {
          app.use(cookieSession({ name: 'session', keys: [BENCH_SECRET] }));
        },
      };
    case 'ours-redis':
    case 'ours-redis-trigger':
    case 'ours-redis-ttl': {
      const client = await benchRedisClient(redisUrl);
      return ours([oursRedisRegistration(name, 'main', 'main', redisUrl, client)], 'main', () =>
        client.quit().then(() => undefined),
      );
    }
    case 'ours-redis-trigger-ioredis':
      return ours([oursRedisRegistration(name, 'main', 'main', redisUrl)], 'main');
    case 'express-session-redis':
      return expressSessionRedis(redisUrl, false);
    case 'express-session-redis-rolling':
      return expressSessionRedis(redisUrl, true);
    case 'ours-multi': {
      const client = await benchRedisClient(redisUrl);
      return ours(
        [
          signed('ui', 'ui'),
          signed('prefs', 'prefs'),
          oursRedisRegistration('ours-redis-trigger', 'auth', 'sid', redisUrl, client),
        ],
        'ui',
        () => client.quit().then(() => undefined),
      );
    }
  }
}
