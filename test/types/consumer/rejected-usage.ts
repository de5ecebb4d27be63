// Each call below must be a compile error: the packed types describe the options exactly.
import {
  MemoryStore,
  RedisSessionFactory,
  RedisStore,
  SessionMultiModule,
} from 'nestjs-session-multi';

// @ts-expect-error sessions is a list of registrations
SessionMultiModule.forRoot({ sessions: 42 });

// @ts-expect-error unknown option
SessionMultiModule.forRoot({ sessions: [], typo: true });

SessionMultiModule.forRootAsync({
  // @ts-expect-error the factory must return the options
  useFactory: () => ({ sessions: 'ui' }),
});

new RedisSessionFactory({
  secret: 'a-secret-of-at-least-thirty-two-characters-long',
  cookieName: 'auth',
  // @ts-expect-error misspelt RedisStore option inside redis
  redis: { ur: 'redis://127.0.0.1:6391' },
});

// @ts-expect-error misspelt ioredis option inside redisOptions
new RedisStore({ url: 'redis://127.0.0.1:6391', redisOptions: { conectionName: 'x' } });

new RedisStore({
  cluster: [{ host: '127.0.0.1', port: 7000 }],
  // @ts-expect-error misspelt ioredis Cluster option inside clusterOptions
  clusterOptions: { scaleRead: 'slave' },
});

// @ts-expect-error misspelt MemoryStore option
new MemoryStore({ maxEntry: 3 });
