import type { NamespaceRegistration } from './session-multi-options.interface';
import { cookieAttributeProblem } from './cookie-attribute-rules';
import { SessionConfigurationError } from '../session/session-configuration.error';
import { messages } from './session-multi.messages';
import { transportName } from '../factories/transports/session-id-transport';

/**
 * Checks one registration against those already accepted:
 * namespace and factory present, namespace unique, factory instance unique; then the factory's
 * own rules (option types, secrets), cookie name present and unique, and
 * cookie attributes; for a header or query transport, its name unique instead.
 *
 * @internal
 */
export function assertRegistrable(
  reg: NamespaceRegistration,
  accepted: ReadonlyMap<string, NamespaceRegistration>,
): void {
  const fail = (message: string): never => {
    throw new SessionConfigurationError(message);
  };
  const ns = reg?.namespace;
  if (typeof ns !== 'string' || ns.trim() === '') {
    fail(messages.emptyNamespace(ns));
  }
  if (reg.factory == null) {
    fail(messages.missingFactory(ns));
  }
  if (accepted.has(ns)) {
    fail(messages.duplicateNamespace(ns));
  }
  for (const other of accepted.values()) {
    if (other.factory === reg.factory) {
      fail(messages.sharedFactory(ns, other.namespace));
    }
  }
  // The factory's own option checks first: they name a wrong type (a cookieName that is a
  // number, secure: 'false') that the rules below would misread.
  reg.factory.validate?.(ns);
  const transport = reg.factory.idTransport;
  if (transport !== undefined && transport.kind !== 'cookie') {
    // The id travels in a header or a URL: its name must be unique instead of a cookie's.
    const name = transportName(transport)!;
    for (const other of accepted.values()) {
      const theirs = other.factory.idTransport;
      if (
        theirs?.kind === transport.kind &&
        sameCarrier(transport.kind, transportName(theirs)!, name)
      ) {
        fail(messages.duplicateTransportName(ns, transport.kind, name, other.namespace));
      }
    }
    return;
  }
  const cookieName = reg.factory.cookieName;
  if (typeof cookieName !== 'string' || cookieName === '') {
    fail(messages.missingCookieName(ns));
  }
  for (const other of accepted.values()) {
    if (other.factory.cookieName === cookieName) {
      fail(messages.duplicateCookieName(ns, cookieName, other.namespace));
    }
  }
  if (reg.factory.cookieOptions == null || typeof reg.factory.cookieOptions !== 'object') {
    fail(messages.missingCookieOptions(ns));
  }
  const problem = cookieAttributeProblem(ns, reg.factory.cookieOptions);
  if (problem !== undefined) {
    fail(problem);
  }
}

/** Header names match in any case; query parameters exactly. */
function sameCarrier(kind: 'header' | 'query', a: string, b: string): boolean {
  return kind === 'header' ? a.toLowerCase() === b.toLowerCase() : a === b;
}
