import { RedisSessionFactory, type NamespaceRegistration } from '../../src/index';
import { BENCH_SECRET_3, type VariantName } from '../support/variants';

/** Our Redis factory as each ours-redis variant configures it (ours-multi uses the trigger one). */
function options(variant: VariantName): { timeoutTrigger?: number; touchOnRead?: boolean } {
  switch (variant) {
    case 'ours-redis-trigger':
    case 'ours-multi':
      // Rewrite only in the last 600 s of a 1200 s timeout: a read before that is one GET.
      return { timeoutTrigger: 600 };
    case 'ours-redis-ttl':
      return { touchOnRead: true };
    default:
      return {};
  }
}

/** A namespace on our RedisSessionFactory, with its own connection to the bench's Redis. */
export function oursRedisRegistration(
  variant: VariantName,
  namespace: string,
  cookieName: string,
  redisUrl: string,
): NamespaceRegistration {
  return {
    namespace,
    factory: new RedisSessionFactory({
      secret: BENCH_SECRET_3,
      cookieName,
      redis: { url: redisUrl, prefix: `bench:${variant}:` },
      timeout: 1200,
      ...options(variant),
    }),
  };
}
