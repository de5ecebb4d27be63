import { Signer } from '../crypto/signer';
import { secretProblem, toSecretList, type SecretOrSecrets } from '../crypto/secret';
import { secretTypeProblem } from './option-rules-secret';
import { SessionConfigurationError } from '../session/session-configuration.error';
import {
  CookieSessionFactory,
  type CookieSessionOptions,
  type DecodedCookie,
} from './cookie-session.factory';
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
  /** HMAC hash algorithm (any `crypto.getHashes()` name). @default 'sha512' */
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
    if (unsigned === undefined) {
      return undefined;
    }
    return {
      payload: Buffer.from(unsigned.payload, 'base64url').toString('utf8'),
      rotated: unsigned.secretIndex > 0,
    };
  }

  protected validateKeys(namespace: string): void {
    const problem = this.optionProblem ?? secretProblem(this.secrets);
    if (problem !== undefined) {
      throw new SessionConfigurationError(`Namespace "${namespace}": ${problem}`);
    }
    if (!this.hashAvailable()) {
      throw new SessionConfigurationError(
        `Namespace "${namespace}": hashAlgorithm "${this.hashAlgorithm}" is not available in this Node.js build. Use one of crypto.getHashes(), e.g. 'sha512'.`,
      );
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
