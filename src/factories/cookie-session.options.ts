import { SessionConfigurationError } from '../session/session-configuration.error';
import type { SessionSerializer } from '../session/serializer';
import type { SessionCookieOptions } from './cookie-options';
import type { SessionHooks } from './session-factory.interface';

/**
 * Options shared by the cookie-data factories (`SignedCookieSessionFactory`,
 * `EncryptedCookieSessionFactory`): Pyramid's cookie-session parameters in camelCase, plus
 * `maxLifetime` and the library-wide hooks.
 *
 * @publicApi
 */
export interface CookieSessionOptions extends SessionCookieOptions, SessionHooks {
  /** Pyramid's name for `cookieOnException`; either may be used. @default true */
  setOnException?: boolean;
  /**
   * Idle timeout in seconds, enforced from the time sealed into the cookie (a replayed old
   * cookie is refused even if the browser kept it). `null` disables it.
   * @default 1200
   */
  timeout?: number | null;
  /**
   * Seconds after which reading the session re-issues the cookie with a fresh time, so an
   * active visitor never hits the idle timeout. `0` re-issues on every request (Pyramid's
   * default); `null` never re-issues on reads.
   * @default a tenth of `timeout` (120 s with the default timeout); null when timeout is null
   */
  reissueTime?: number | null;
  /** Absolute lifetime in seconds counted from `created`; re-issuing never extends it. Off by default. */
  maxLifetime?: number;
  /** Codec for the cookie payload. @default JSON */
  serializer?: SessionSerializer;
  /**
   * Find nested mutations (`session.get('cart').items.push(x)`) without `changed()`, by comparing
   * the payload with the one loaded. Only sessions that were read pay for it.
   * @default true
   */
  detectChanges?: boolean;
}

/** The durations of {@link CookieSessionOptions}, defaults applied. @internal */
export interface CookieSessionTimes {
  timeout: number | null;
  reissueTime: number | null;
  maxLifetime: number | undefined;
}

/** @internal */
export function resolveCookieSessionTimes(options: CookieSessionOptions): CookieSessionTimes {
  const timeout = options.timeout === undefined ? 1200 : options.timeout;
  const reissueTime =
    options.reissueTime !== undefined
      ? options.reissueTime
      : timeout === null
        ? null
        : Math.floor(timeout / 10);
  return { timeout, reissueTime, maxLifetime: options.maxLifetime };
}

/** Throws `SessionConfigurationError` for a duration that is not a number of seconds. @internal */
export function validateCookieSessionTimes(namespace: string, times: CookieSessionTimes): void {
  for (const name of ['timeout', 'reissueTime', 'maxLifetime'] as const) {
    const value = times[name];
    if (value != null && (!Number.isFinite(value) || value < 0)) {
      throw new SessionConfigurationError(
        `Namespace "${namespace}": ${name} is ${String(value)}; it must be a number of seconds, 0 or more. Fix the ${name} option.`,
      );
    }
  }
}
