/**
 * Base class of every error this library throws. `name` is the concrete class name, and an ES2022
 * `cause` is kept so the original failure (a Redis error, a JSON error) is never lost.
 *
 * @publicApi
 */
export class SessionMultiError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * Thrown by `session.set()` (and the other mutators) when the value cannot round-trip through JSON:
 * `undefined`, functions, symbols, bigints, non-finite numbers, class instances such as `Date` or
 * `Map`, or cyclic structures. Thrown at once, so the stack points at the faulty call.
 *
 * @publicApi
 */
export class SessionValueError extends SessionMultiError {}

/**
 * Thrown when a method is not available on this kind of session, e.g. `ensureId()` on a cookie
 * session, which has no server-side id.
 *
 * @publicApi
 */
export class SessionUnsupportedError extends SessionMultiError {}
