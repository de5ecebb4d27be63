import { decodeBase64url } from '../crypto/base64url';
import { Signer, hashAlgorithmProblem } from '../crypto/signer';
import { secretProblem, toSecretList, type SecretOrSecrets } from '../crypto/secret';
import { secretTypeProblem } from './option-rules-secret';
import { SessionConfigurationError } from '../session/session-configuration.error';
import { CookieSessionFactory } from './cookie-session.factory';
import type { DecodedCookie } from './cookie-payload';
import type { CookieSessionOptions } from './cookie-session.options';
import { expectString, optionNames, type OptionProblem } from './option-rules';
import {
  COOKIE_SESSION_OPTION_NAMES,
  cookieSessionOptionsProblem,
} from './option-rules-cookie-session';

const SIGNED_OPTION_NAMES: readonly string[] = [
  ...COOKIE_SESSION_OPTION_NAMES,
  ...optionNames<Omit<SignedCookieSessionOptions, keyof CookieSessionOptions>>({
    secret: true,
    hashAlgorithm: true,
    salt: true,
  }),
];

/**
 * Options of {@link SignedCookieSessionFactory}: Pyramid's `SignedCookieSessionFactory`
 * parameters in camelCase, plus `maxLifetime` and the library-wide hooks.
 *
 * @publicApi
 */
export interface SignedCookieSessionOptions extends CookieSessionOptions {
  /**
   * HMAC secret, 32 bytes or more. A list rotates secrets: the first signs, all verify, and a
   * cookie verified by an older one is re-issued under the first on the same response.
   */
  secret: SecretOrSecrets;
  /**
   * HMAC hash algorithm: 'sha256', 'sha384', 'sha512', 'sha3-256', 'sha3-384' or 'sha3-512'.
   * @default 'sha512'
   */
  hashAlgorithm?: string;
  /** Salt prepended to the secret to key the HMAC, so one secret can serve several purposes. @default 'nestjs-session-multi.signed.' */
  salt?: string;
}

/**
 * Session data in a cookie, signed with HMAC (Pyramid's `SignedCookieSessionFactory`). The data is
 * readable by the client but cannot be altered. The cookie holds `[renewed, created, data]` as
 * base64url JSON plus a MAC that also covers the namespace.
 *
 * @example
 * new SignedCookieSessionFactory({ secret: process.env.UI_SECRET!, cookieName: 'ui' })
 * @publicApi
 */
export class SignedCookieSessionFactory extends CookieSessionFactory {
  private readonly secrets: Buffer[];
  private readonly hashAlgorithm: string;
  private readonly signer: Signer | undefined;
  private readonly optionProblem: OptionProblem;

  constructor(options: SignedCookieSessionOptions) {
    super(options);
    this.optionProblem =
      cookieSessionOptionsProblem(options, SIGNED_OPTION_NAMES, 'SignedCookieSessionFactory') ??
      secretTypeProblem('secret', options.secret) ??
      expectString('hashAlgorithm', options.hashAlgorithm, "'sha512'") ??
      expectString('salt', options.salt, "'my-app.ui.'");
    this.secrets =
      secretTypeProblem('secret', options.secret) === undefined ? toSecretList(options.secret) : [];
    this.hashAlgorithm = options.hashAlgorithm ?? 'sha512';
    // A bad secret or algorithm is reported by validate() with the namespace in the message.
    this.signer =
      secretProblem(this.secrets) === undefined && this.hashAvailable()
        ? new Signer(
            this.secrets,
            this.hashAlgorithm,
            options.salt ?? 'nestjs-session-multi.signed.',
          )
        : undefined;
  }

  protected encode(payload: string, namespace: string): string {
    return this.signer!.sign(Buffer.from(payload, 'utf8').toString('base64url'), namespace);
  }

  protected decode(value: string, namespace: string): DecodedCookie | undefined {
    const unsigned = this.signer!.unsign(value, namespace);
    const bytes = unsigned && decodeBase64url(unsigned.payload);
    if (unsigned === undefined || bytes === undefined) {
      return undefined;
    }
    return {
      payload: bytes.toString('utf8'),
      rotated: unsigned.secretIndex > 0,
    };
  }

  protected validateKeys(namespace: string): void {
    const problem = this.optionProblem ?? secretProblem(this.secrets);
    if (problem !== undefined) {
      throw new SessionConfigurationError(`Namespace "${namespace}": ${problem}`);
    }
    const hashProblem = hashAlgorithmProblem(this.hashAlgorithm);
    if (hashProblem !== undefined) {
      throw new SessionConfigurationError(`Namespace "${namespace}": ${hashProblem}`);
    }
  }

  protected describeKeys(): Record<string, unknown> {
    return { hashAlgorithm: this.hashAlgorithm, secrets: this.secrets.length };
  }

  private hashAvailable(): boolean {
    try {
      new Signer([Buffer.alloc(32)], this.hashAlgorithm).sign('', '');
      return true;
    } catch {
      return false;
    }
  }
}
