import {
  InvalidSessionDeserialization,
  InvalidSessionLifetime,
  InvalidSessionTimeout,
  type InvalidSession,
} from '../session/invalid-session.errors';
import { isPlainObject, type SessionSerializer } from '../session/serializer';
import type { CookieSessionTimes } from './cookie-session.options';

/** What a cookie codec returns for a value it accepts. @internal */
export interface DecodedCookie {
  /** The serialized `[renewed, created, data]` text. */
  payload: string;
  /** An older secret or key accepted it: re-issue under the newest. */
  rotated: boolean;
}

/** A cookie session's payload: last re-issue and creation (epoch seconds), then the data. @internal */
export type CookiePayload = [renewed: number, created: number, data: Record<string, unknown>];

/**
 * The `[renewed, created, data]` tuple of an authentic cookie, or the reason it is refused: a
 * payload the serializer cannot read or of another shape, an idle timeout or `maxLifetime` passed.
 *
 * @internal
 */
export function readCookiePayload(
  payload: string,
  serializer: SessionSerializer,
  times: CookieSessionTimes,
  namespace: string,
  now: number,
): CookiePayload | InvalidSession {
  let decoded: unknown;
  try {
    decoded = serializer.deserialize(payload);
  } catch (cause) {
    return new InvalidSessionDeserialization(
      namespace,
      'the session cookie payload could not be decoded.',
      { cause },
    );
  }
  if (
    !Array.isArray(decoded) ||
    decoded.length !== 3 ||
    typeof decoded[0] !== 'number' ||
    typeof decoded[1] !== 'number' ||
    !isPlainObject(decoded[2])
  ) {
    return new InvalidSessionDeserialization(
      namespace,
      'the session cookie payload has an unknown shape.',
    );
  }
  const tuple = decoded as CookiePayload;
  if (times.timeout !== null && now - tuple[0] > times.timeout) {
    return new InvalidSessionTimeout(
      namespace,
      `the session was idle for more than ${times.timeout} s.`,
    );
  }
  if (times.maxLifetime !== undefined && now - tuple[1] > times.maxLifetime) {
    return new InvalidSessionLifetime(
      namespace,
      `the session is older than maxLifetime (${times.maxLifetime} s).`,
    );
  }
  return tuple;
}
