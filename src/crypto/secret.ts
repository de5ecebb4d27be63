/** HMAC secrets need at least 32 bytes (express-session asks for 32 bytes of entropy). */
export const MIN_SECRET_BYTES = 32;

/** A secret, or a list of them: the first signs, every one verifies (rotation). @publicApi */
export type SecretOrSecrets = string | Buffer | readonly (string | Buffer)[];

/** @internal */
export function toSecretList(secret: SecretOrSecrets | undefined): Buffer[] {
  if (secret === undefined) {
    return [];
  }
  const list = typeof secret === 'string' || Buffer.isBuffer(secret) ? [secret] : [...secret];
  return list.map((s) => (Buffer.isBuffer(s) ? Buffer.from(s) : Buffer.from(String(s), 'utf8')));
}

/**
 * Describes what is wrong with a secret list, or returns undefined when it is fine. The caller
 * adds the namespace; the text never contains the secret.
 *
 * @internal
 */
export function secretProblem(secrets: readonly Buffer[], option = 'secret'): string | undefined {
  if (secrets.length === 0) {
    return `${option} is missing or an empty list; at least one secret is required. Pass ${option}: process.env.SESSION_SECRET (32 bytes or more).`;
  }
  for (const [i, s] of secrets.entries()) {
    if (s.length < MIN_SECRET_BYTES) {
      const which = secrets.length > 1 ? `${option}[${i}]` : option;
      return `${which} is ${s.length} bytes; at least ${MIN_SECRET_BYTES} are required. Use a longer secret (e.g. crypto.randomBytes(32).toString('base64')).`;
    }
  }
  return undefined;
}
