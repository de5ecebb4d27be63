import { Sealer, keyProblem } from '../crypto/sealer';
import { SessionConfigurationError } from '../session/session-configuration.error';
import { CookieSessionFactory } from './cookie-session.factory';
import type { DecodedCookie } from './cookie-payload';
import type { CookieSessionOptions } from './cookie-session.options';
import { optionNames, type OptionProblem } from './option-rules';
import {
  COOKIE_SESSION_OPTION_NAMES,
  cookieSessionOptionsProblem,
} from './option-rules-cookie-session';
import { secretTypeProblem } from './option-rules-secret';

/** A 32-byte key as a Buffer or its base64 / base64url text, or a list of them. @publicApi */
export type KeyOrKeys = string | Buffer | readonly (string | Buffer)[];

/** Options of {@link EncryptedCookieSessionFactory}. @publicApi */
export interface EncryptedCookieSessionOptions extends CookieSessionOptions {
  /**
   * AES-256-GCM key: exactly 32 bytes (a Buffer, or base64 text such as
   * `crypto.randomBytes(32).toString('base64')`). A list rotates keys: the first seals, all open,
   * and a cookie sealed under an older key is re-sealed under the first on the same response.
   */
  key: KeyOrKeys;
}

function toKeyList(key: KeyOrKeys | undefined): Buffer[] {
  if (key === undefined) {
    return [];
  }
  const list = typeof key === 'string' || Buffer.isBuffer(key) ? [key] : [...key];
  return list.map((k) => (Buffer.isBuffer(k) ? Buffer.from(k) : Buffer.from(String(k), 'base64')));
}

const ENCRYPTED_OPTION_NAMES: readonly string[] = [
  ...COOKIE_SESSION_OPTION_NAMES,
  ...optionNames<Omit<EncryptedCookieSessionOptions, keyof CookieSessionOptions>>({ key: true }),
];

/**
 * Session data in a cookie, encrypted and authenticated with AES-256-GCM: the client can neither
 * read nor alter it. Same rules as {@link SignedCookieSessionFactory} (timeout, reissue, maximum
 * lifetime, rotation, size guard); the namespace is bound as additional authenticated data, and a
 * key id in the cookie picks the key without trying them all.
 *
 * @example
 * new EncryptedCookieSessionFactory({ key: process.env.PREFS_KEY!, cookieName: 'prefs' })
 * @publicApi
 */
export class EncryptedCookieSessionFactory extends CookieSessionFactory {
  private readonly keys: Buffer[];
  private readonly sealer: Sealer | undefined;
  private readonly optionProblem: OptionProblem;

  constructor(options: EncryptedCookieSessionOptions) {
    super(options);
    this.optionProblem =
      cookieSessionOptionsProblem(
        options,
        ENCRYPTED_OPTION_NAMES,
        'EncryptedCookieSessionFactory',
      ) ?? secretTypeProblem('key', options.key);
    this.keys = secretTypeProblem('key', options.key) === undefined ? toKeyList(options.key) : [];
    this.sealer = keyProblem(this.keys, 'key') === undefined ? new Sealer(this.keys) : undefined;
  }

  protected encode(payload: string, namespace: string): string {
    return this.sealer!.seal(payload, namespace);
  }

  protected decode(value: string, namespace: string): DecodedCookie | undefined {
    const opened = this.sealer!.open(value, namespace);
    return opened === undefined
      ? undefined
      : { payload: opened.plaintext, rotated: opened.keyIndex > 0 };
  }

  protected validateKeys(namespace: string): void {
    const problem = this.optionProblem ?? keyProblem(this.keys, 'key');
    if (problem !== undefined) {
      throw new SessionConfigurationError(`Namespace "${namespace}": ${problem}`);
    }
  }

  protected describeKeys(): Record<string, unknown> {
    return { algorithm: 'aes-256-gcm', keys: this.keys.length };
  }
}
