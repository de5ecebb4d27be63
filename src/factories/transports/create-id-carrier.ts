import type { ResolvedCookieOptions } from '../cookie-options';
import type { SessionLogger } from '../session-logger';
import { CookieCarrier } from './cookie-carrier';
import { HeaderCarrier } from './header-carrier';
import type { IdCarrier } from './id-carrier';
import { QueryCarrier } from './query-carrier';
import type { SessionIdTransport } from './session-id-transport';

/** The carrier of a (validated) transport option. @internal */
export function createIdCarrier(
  transport: SessionIdTransport,
  cookieOptions: Readonly<ResolvedCookieOptions>,
  logger: SessionLogger,
): IdCarrier {
  switch (transport.kind) {
    case 'header':
      return new HeaderCarrier(transport.name, logger);
    case 'query':
      return new QueryCarrier(transport.param, transport.redirectOnCreate);
    default:
      return new CookieCarrier(cookieOptions);
  }
}
