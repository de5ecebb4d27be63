import type { NamespaceRegistration } from './session-multi-options.interface';
import { cookieAttributeProblem } from './cookie-attribute-rules';
import { SessionConfigurationError } from '../session/session-configuration.error';
import { messages } from './session-multi.messages';

/**
 * Checks one registration against those already accepted, in pyramid_session_multi's order:
 * namespace and factory present, namespace unique, factory instance unique, cookie name present,
 * cookie name unique; then cookie attributes and the factory's own rules (secrets).
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
  reg.factory.validate?.(ns);
}
