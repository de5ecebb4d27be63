import { Logger } from '@nestjs/common';
import type { ConfigService } from '@nestjs/config';
import type { SessionRequest, SessionMultiModuleOptions } from '../../src/index';
import { SignedCookieSessionFactory } from '../../src/index';
import { authFactory } from './auth-store';

// In your application: import { ... } from 'nestjs-session-multi'.

/**
 * Development secrets, public in this repository: good enough to click around locally, never for
 * a deployment. Each is 32 bytes or more, as the start-up rules require.
 */
const DEV_SECRETS = {
  UI_SECRET: 'dev-only-ui-secret-0123456789abcdef0123456789',
  CART_SECRET: 'dev-only-cart-secret-0123456789abcdef01234567',
  HTTPS_SECRET: 'dev-only-https-secret-0123456789abcdef0123456',
  AUTH_SECRET: 'dev-only-auth-secret-0123456789abcdef01234567',
} as const;

type SecretVariable = keyof typeof DEV_SECRETS;

/** What each namespace is for; the pages print it beside "loaded / not loaded". */
export const NAMESPACE_PURPOSE: Readonly<Record<string, string>> = {
  ui: 'theme and flash messages (signed cookie "ui")',
  cart: 'shopping cart and its CSRF token (signed cookie "cart", its own secret)',
  https_only: 'mounted only on https requests (signed cookie "https_only", Secure)',
  auth: 'login session, server-side (a file per session, or Redis when REDIS_URL is set); cookie "auth" holds only a signed id',
};

/** True when the request came over TLS (Express `req.secure`, which honours 'trust proxy'). */
export const httpsOnly = (req: SessionRequest): boolean => req.secure === true;

/**
 * Builds the sample's namespaces from `ConfigService` (environment variables or a `.env` file).
 * A missing secret falls back to a development default and one warning names every missing
 * variable; the secrets themselves are never logged.
 */
export function sessionOptionsFromConfig(config: ConfigService): SessionMultiModuleOptions {
  const missing: SecretVariable[] = [];
  const secret = (name: SecretVariable): string => {
    const value = config.get<string>(name);
    if (value !== undefined && value !== '') {
      return value;
    }
    missing.push(name);
    return DEV_SECRETS[name];
  };

  const options: SessionMultiModuleOptions = {
    sessions: [
      {
        namespace: 'ui',
        // Defaults: HttpOnly, SameSite=Lax, Secure on https only, 20 min idle timeout.
        factory: new SignedCookieSessionFactory({ secret: secret('UI_SECRET'), cookieName: 'ui' }),
      },
      {
        namespace: 'cart',
        factory: new SignedCookieSessionFactory({
          secret: secret('CART_SECRET'),
          cookieName: 'cart',
          // A cart may wait a week; the cookie outlives the browser session.
          maxAge: 7 * 24 * 3600,
          timeout: 7 * 24 * 3600,
        }),
      },
      {
        namespace: 'https_only',
        factory: new SignedCookieSessionFactory({
          secret: secret('HTTPS_SECRET'),
          cookieName: 'https_only',
          secure: true,
          sameSite: 'strict',
        }),
        // Plain http requests get null for this namespace: nothing is read or written.
        discriminator: httpsOnly,
      },
      {
        namespace: 'auth',
        factory: authFactory(secret('AUTH_SECRET'), config.get<string>('REDIS_URL')),
      },
    ],
  };

  if (missing.length > 0) {
    new Logger('Sample').warn(
      `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not set: using the public development ${missing.length === 1 ? 'secret' : 'secrets'} from sample/src/sample-sessions.ts. Set ${missing.length === 1 ? 'it' : 'them'} (32 bytes or more each, e.g. openssl rand -base64 32) before deploying.`,
    );
  }
  return options;
}
