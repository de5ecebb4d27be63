import { SessionMultiError } from './session-multi.error';

/**
 * Why an incoming session was not accepted. Instances are passed to a namespace's
 * `onInvalidSession(req, reason)` hook; the visitor simply gets a new, empty session. The class
 * tells the reason (`reason instanceof InvalidSessionTimeout`), the message never contains the
 * cookie value or the session id.
 *
 * Mapping to pyramid_session_redis: `InvalidSession_NoSessionCookie` → {@link InvalidSessionNoCookie},
 * `InvalidSession_NotInBackend` → {@link InvalidSessionNotInStore},
 * `InvalidSession_DeserializationError` → {@link InvalidSessionDeserialization},
 * `InvalidSession_PayloadTimeout` → {@link InvalidSessionTimeout},
 * `InvalidSession_PayloadLegacy` → {@link InvalidSessionLegacyPayload}.
 *
 * @publicApi
 */
export class InvalidSession extends SessionMultiError {
  constructor(
    readonly namespace: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`Namespace "${namespace}": ${message}`, options);
  }
}

/** The request carried no cookie for the namespace (reported only when `reportMissingCookie` is on). @publicApi */
export class InvalidSessionNoCookie extends InvalidSession {}
/** The cookie's signature did not verify: tampered, truncated, extended, wrong secret or another namespace's cookie. @publicApi */
export class InvalidSessionSignature extends InvalidSession {}
/** The cookie verified but its content is not a session payload this version can read. @publicApi */
export class InvalidSessionDeserialization extends InvalidSession {}
/** The session was idle longer than `timeout`, or its in-payload expiry passed. @publicApi */
export class InvalidSessionTimeout extends InvalidSession {}
/** The session is older than `maxLifetime` (absolute timeout, counted from `created`). @publicApi */
export class InvalidSessionLifetime extends InvalidSession {}
/** The cookie named a session id that the store does not hold (expired, evicted or invented). @publicApi */
export class InvalidSessionNotInStore extends InvalidSession {}
/** The stored payload has no version or an older format. @publicApi */
export class InvalidSessionLegacyPayload extends InvalidSession {}
