import { createClient, type RedisClientType } from 'redis';
import { RedisSessionFactory, RedisStore, type NamespaceRegistration } from '../../src/index';
import { BENCH_SECRET_3, type VariantName } from '../support/variants';

/** Our Redis factory as each ours-redis variant configures it (ours-multi uses the trigger one). */
function options(variant: VariantName): { timeoutTrigger?: number; touchOnRead?: boolean } {
  switch (variant) {
    case 'ours-redis-trigger':
    case 'ours-redis-trigger-ioredis':
    case 'ours-multi':
      // Rewrite only in the last 600 s of a 1200 s timeout: a read before that is one GET.
      return { timeoutTrigger: 600 };
    case 'ours-redis-ttl':
      return { touchOnRead: true };
    default:
      return {};
  }
}

/**
 * The Redis client of the ours-redis variants: node-redis, the client (and version) connect-redis
 * uses in the express-session variants, so the two libraries are compared over the same client.
 * `ours-redis-trigger-ioredis` lets the store open its own ioredis connection instead.
 */
export async function benchRedisClient(redisUrl: string): Promise<RedisClientType> {
  const client: RedisClientType = createClient({ url: redisUrl });
  await client.connect();
  return client;
}

/**
 * A namespace on our RedisSessionFactory: over `client` (node-redis) when given, else over the
 * ioredis connection the store opens itself.
 */
export function oursRedisRegistration(
  variant: VariantName,
  namespace: string,
  cookieName: string,
  redisUrl: string,
  client?: RedisClientType,
): NamespaceRegistration {
  const prefix = `bench:${variant}:`;
  return {
    namespace,
    factory: new RedisSessionFactory({
      secret: BENCH_SECRET_3,
      cookieName,
      redis: client === undefined ? { url: redisUrl, prefix } : new RedisStore({ client, prefix }),
      timeout: 1200,
      // Every connection of the load shares one session: last writer wins, as with
      // express-session (the default 'merge' answers 409 to a concurrent change of one key).
      onConflict: 'overwrite',
      ...options(variant),
    }),
  };
}
