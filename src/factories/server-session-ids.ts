import { isPlausibleSessionId } from '../crypto/session-id';
import { Signer } from '../crypto/signer';
import { SessionConfigurationError } from '../session/session-configuration.error';

/** `id` when it has the shape of a session id; a configuration error naming the namespace otherwise. @internal */
export function checkedSessionId(id: string, namespace: string): string {
  if (!isPlausibleSessionId(id)) {
    throw new SessionConfigurationError(
      `Namespace "${namespace}": idGenerator returned a value that is not 22 to 128 characters of [A-Za-z0-9_-]. Return base64url text of at least 16 random bytes, e.g. crypto.randomBytes(32).toString('base64url').`,
    );
  }
  return id;
}

/** The id signer, or undefined when the algorithm is refused (`validate()` says why). @internal */
export function signerOrUndefined(
  secrets: Buffer[],
  algorithm: string,
  salt: string,
): Signer | undefined {
  try {
    return new Signer(secrets, algorithm, salt);
  } catch {
    return undefined;
  }
}
