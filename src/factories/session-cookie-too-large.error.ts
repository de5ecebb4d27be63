import { SessionMultiError } from '../session/session-multi.error';

/** Browsers drop cookies whose name plus value exceed 4096 bytes, silently. */
export const MAX_COOKIE_BYTES = 4096;

/**
 * The session would need a cookie larger than browsers keep. Raised by the commit instead of
 * sending a cookie the browser would silently drop.
 *
 * @publicApi
 */
export class SessionCookieTooLargeError extends SessionMultiError {
  constructor(
    readonly namespace: string,
    readonly bytes: number,
  ) {
    super(
      `Namespace "${namespace}": the session cookie would be ${bytes} bytes (name plus value); browsers drop cookies above ${MAX_COOKIE_BYTES}. Store less in this namespace, or use a server-side factory (RedisSessionFactory, FileStore) for large data.`,
    );
  }
}
