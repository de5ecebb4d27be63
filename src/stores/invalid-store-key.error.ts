import { SessionMultiError } from '../session/session-multi.error';

/**
 * A store was given a key that is not a {@link storeKey} hash (43 base64url characters). Stores
 * that turn keys into file names refuse anything else, so no key can name a path outside their
 * directory (`../x`, `/etc/passwd`, `a/b`, NUL bytes). The key itself is not repeated in the
 * message, since it may be hostile input.
 *
 * @publicApi
 */
export class InvalidStoreKeyError extends SessionMultiError {
  constructor(store: string) {
    super(
      `${store} was given a key that is not a storeKey() hash (43 characters of A-Z a-z 0-9 _ -). Pass storeKey(sessionId), never a raw session id or a path.`,
    );
  }
}
