import type { NamespaceRegistration } from '../../src/index';
import type { VariantName } from '../support/variants';

/** Our Redis factory, configured for one of the ours-redis variants. */
export function oursRedisRegistration(
  variant: VariantName,
  _namespace: string,
  _cookieName: string,
  _redisUrl: string,
): NamespaceRegistration {
  throw new Error(`Variant "${variant}": RedisSessionFactory is not available yet.`);
}
