import type { NamespaceRegistration } from './session-multi-options.interface';
import { cookieAttributeProblem } from './cookie-attribute-rules';
import { SessionConfigurationError } from '../session/session-configuration.error';
import { messages } from './session-multi.messages';

/**
 * Checks one registration against those already accepted:
 * namespace and factory present, namespace unique, factory instance unique; then the factory's
 * own rules (option types, secrets), cookie name present and unique, and
 * cookie attributes.
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
