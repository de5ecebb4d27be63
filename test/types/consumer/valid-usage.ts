// Compiles against the packed package: the calls and extension points a consumer writes.
import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import {
  MemoryStore,
  NamespacedSession,
  RedisSessionFactory,
  RedisStore,
  ServerSessionFactory,
  SessionMultiModule,
  SignedCookieSessionFactory,
  resolveCookieOptions,
  type CommitContext,
  type LoadContext,
  type ResolvedCookieOptions,
  type SessionFactory,
  type SessionMultiModuleOptions,
  type SessionStore,
  type StoreSetOptions,
} from 'nestjs-session-multi';

const SECRET = 'a-secret-of-at-least-thirty-two-characters-long';

/** A store backed by a Map, with no expiry. */
class MapStore implements SessionStore {
  readonly name = 'MapStore';
  private readonly entries = new Map<string, string>();

  get(key: string): Promise<string | undefined> {
    return Promise.resolve(this.entries.get(key));
  }

  set(key: string, value: string, options: StoreSetOptions): Promise<boolean> {
    if (options.onlyIfAbsent === true && this.entries.has(key)) {
      return Promise.resolve(false);
    }
    this.entries.set(key, value);
    return Promise.resolve(true);
  }

  touch(_key: string, _ttl: number): Promise<void> {
    return Promise.resolve();
  }

  delete(key: string): Promise<void> {
    this.entries.delete(key);
    return Promise.resolve();
  }
}

/** A factory that logs around another one. */
class LoggingSessionFactory implements SessionFactory {
  readonly cookieName: string;
  readonly cookieOptions: Readonly<ResolvedCookieOptions>;

  constructor(private readonly inner: SessionFactory) {
    this.cookieName = inner.cookieName;
    this.cookieOptions = resolveCookieOptions({ cookieName: inner.cookieName, path: '/' });
  }

  load(ctx: LoadContext): NamespacedSession | Promise<NamespacedSession> {
    console.log(`load ${ctx.namespace}`);
    return this.inner.load(ctx);
  }

  commit(session: NamespacedSession, ctx: CommitContext): void | Promise<void> {
    console.log(`commit ${session.namespace} exception=${String(ctx.exception)}`);
    return this.inner.commit(session, ctx);
  }

  describe(): Record<string, unknown> {
    return { kind: 'logging', inner: this.inner.describe() };
  }
}

const options: SessionMultiModuleOptions = {
  sessions: [
    {
      namespace: 'ui',
      factory: new SignedCookieSessionFactory({ secret: SECRET, cookieName: 'ui' }),
    },
    {
      namespace: 'cart',
      factory: new ServerSessionFactory({
        store: new MemoryStore(),
        secret: SECRET,
        cookieName: 'cart',
      }),
    },
    {
      namespace: 'custom',
      factory: new LoggingSessionFactory(
        new ServerSessionFactory({ store: new MapStore(), secret: SECRET, cookieName: 'custom' }),
      ),
      discriminator: (req) => req.headers.host !== undefined,
    },
  ],
};

@Injectable()
class SessionSettings {
  readonly secret = SECRET;
}

@Module({ providers: [SessionSettings], exports: [SessionSettings] })
class SettingsModule {}

@Module({ imports: [SessionMultiModule.forRoot(options)] })
export class SyncAppModule {}

@Module({
  imports: [
    SessionMultiModule.forRootAsync({
      imports: [SettingsModule],
      inject: [SessionSettings],
      useFactory: (settings: SessionSettings) => ({
        sessions: [
          {
            namespace: 'ui',
            factory: new SignedCookieSessionFactory({ secret: settings.secret, cookieName: 'ui' }),
          },
        ],
      }),
    }),
  ],
})
export class AsyncAppModule {}

// ioredis's own classes and options fit the declarations, which do not import ioredis.
const ioredisOptions: RedisOptions = { connectionName: 'sessions', lazyConnect: true };
export const ownConnection = new RedisStore<Redis>({
  url: 'redis://127.0.0.1:6380',
  redisOptions: ioredisOptions,
});
export const pinged: Promise<string> = ownConnection.client.ping();
export const passedIn: Redis = new RedisStore({ client: new Redis({ lazyConnect: true }) }).client;
export const clusterStore = new RedisStore({
  client: new Cluster([{ host: '127.0.0.1', port: 7000 }], { lazyConnect: true }),
});
export const redisFactory = new RedisSessionFactory({
  redis: {
    cluster: [{ host: '127.0.0.1', port: 7000 }],
    clusterOptions: { scaleReads: 'slave', redisOptions: { connectionName: 'sessions' } },
  },
  secret: SECRET,
  cookieName: 'auth',
});
