import { Logger } from '@nestjs/common';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RedisSessionFactory, ServerSessionFactory } from '../../src/index';
// FileStore is not exported from src/index.ts yet; switch to the barrel once it is.
import { FileStore } from '../../src/stores/file.store';
import type { SessionFactory } from '../../src/index';

/** Where the sample keeps `auth` sessions when REDIS_URL is not set. */
export const SAMPLE_SESSION_DIR = join(tmpdir(), 'nestjs-session-multi-sample');

/** A fixed demo password: any username logs in with it. */
export const DEMO_PASSWORD = 'open sesame';

/**
 * The `auth` namespace's factory: server-side sessions, so logging out really revokes the session
 * (the record is deleted) and the browser holds only a signed id. Redis when `REDIS_URL` is set,
 * otherwise one file per session under the system temp directory, so the sample needs no service.
 */
export function authFactory(secret: string, redisUrl: string | undefined): SessionFactory {
  const common = {
    secret,
    cookieName: 'auth',
    // 30 minutes idle; an active visitor's session is extended by the store TTL refresh.
    timeout: 1800,
    // A login session should not live forever, however active: 8 hours.
    maxLifetime: 8 * 3600,
  };
  const logger = new Logger('Sample');
  if (redisUrl !== undefined && redisUrl !== '') {
    // The URL may carry a password: name the variable, not its value.
    logger.log('auth sessions are stored in Redis (REDIS_URL).');
    return new RedisSessionFactory({ ...common, redis: { url: redisUrl, prefix: 'sample:auth:' } });
  }
  logger.log(`auth sessions are stored as files in ${SAMPLE_SESSION_DIR}.`);
  return new ServerSessionFactory({
    ...common,
    store: new FileStore({
      directory: SAMPLE_SESSION_DIR,
      autoPurgeEvery: 600,
      autoPurgeOlderThan: 1800,
    }),
  });
}
