// Compiles against the packed package in a project without ioredis (an optional peer dependency)
// or node-redis installed: an application that keeps its sessions in cookies and memory.
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import {
  EncryptedCookieSessionFactory,
  MemoryStore,
  ServerSessionFactory,
  SessionMultiModule,
  SignedCookieSessionFactory,
  type RedisStoreOptions,
} from 'nestjs-session-multi';

const SECRET = 'a-secret-of-at-least-thirty-two-characters-long';

@Module({
  imports: [
    SessionMultiModule.forRoot({
      sessions: [
        {
          namespace: 'ui',
          factory: new SignedCookieSessionFactory({ secret: SECRET, cookieName: 'ui' }),
        },
        {
          namespace: 'cart',
          factory: new EncryptedCookieSessionFactory({ key: SECRET, cookieName: 'cart' }),
        },
        {
          namespace: 'auth',
          factory: new ServerSessionFactory({
            store: new MemoryStore({ maxEntries: 1000 }),
            secret: SECRET,
            cookieName: 'auth',
          }),
        },
      ],
    }),
  ],
})
export class CookieOnlyAppModule {}

// The Redis option types stay precise without ioredis's own types.
export const redisOptions: RedisStoreOptions = {
  url: 'redis://127.0.0.1:6379',
  redisOptions: { connectionName: 'sessions', tls: {} },
};

export const misspelt: RedisStoreOptions = {
  url: 'redis://x',
  // @ts-expect-error misspelt ioredis option
  redisOptions: { conectionName: 'x' },
};

// @ts-expect-error misspelt store option
new MemoryStore({ maxEntry: 3 });
