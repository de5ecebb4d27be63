import { Logger } from '@nestjs/common';
import type { SessionFactory } from '../factories/session-factory.interface';
import type { OwnedSession } from '../factories/owner-index';
import { ServerSessionFactory } from '../factories/server-session.factory';
import { SessionUnsupportedError } from '../session/session-multi.error';
import { UnknownNamespaceError } from '../request/unknown-namespace.error';
import type { NamespaceDirectory } from '../request/namespace-directory';
import type { SessionObserver } from '../request/session-observer';
import type { Discriminator, NamespaceRegistration } from './session-multi-options.interface';
import { assertRegistrable } from './registration-rules';
import { SessionConfigurationError } from '../session/session-configuration.error';
import { messages } from './session-multi.messages';

const moduleLogger = new Logger('SessionMulti');

/**
 * Every registered namespace, validated on registration and frozen once the application has
 * started. Inject it to list namespaces or reach a namespace's factory from a service.
 *
 * @publicApi
 */
export class SessionRegistry implements NamespaceDirectory {
  private readonly entries = new Map<string, NamespaceRegistration>();
  private frozen = false;
  /** Set by `SessionMultiDebugModule` when the panel is enabled. @internal */
  observer: SessionObserver | undefined = undefined;

  /** Validates and adds registrations; all or nothing. @internal */
  register(registrations: readonly NamespaceRegistration[]): void {
    if (!Array.isArray(registrations)) {
      throw new SessionConfigurationError(
        `SessionMultiModule options: "sessions" must be an array of { namespace, factory } registrations. Pass sessions: [...].`,
      );
    }
    const next = new Map(this.entries);
    for (const reg of registrations as unknown[] as NamespaceRegistration[]) {
      if (this.frozen) {
        throw new SessionConfigurationError(messages.registryFrozen(String(reg?.namespace)));
      }
      assertRegistrable(reg, next);
      next.set(reg.namespace, { ...reg });
    }
    for (const [ns, reg] of next) {
      if (!this.entries.has(ns)) {
        reg.factory.useLogger?.(moduleLogger);
      }
      this.entries.set(ns, reg);
    }
  }

  /** Stops further registration (called at application bootstrap). @internal */
  freeze(): void {
    if (!this.frozen) {
      for (const registration of this.entries.values()) {
        registration.factory.open?.();
      }
    }
    this.frozen = true;
  }

  /** Registered namespaces, in registration order. */
  get namespaces(): string[] {
    return [...this.entries.keys()];
  }

  has(namespace: string): boolean {
    return this.entries.has(namespace);
  }

  /** The namespace's factory, or undefined. */
  factory(namespace: string): SessionFactory | undefined {
    return this.entries.get(namespace)?.factory;
  }

  /** The namespace's discriminator, or undefined. */
  discriminator(namespace: string): Discriminator | undefined {
    return this.entries.get(namespace)?.discriminator;
  }

  /** @internal */
  registration(namespace: string): NamespaceRegistration | undefined {
    return this.entries.get(namespace);
  }

  /** Namespace → cookie name. */
  cookieNames(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [ns, reg] of this.entries) {
      out[ns] = reg.factory.cookieName;
    }
    return out;
  }

  /**
   * The user's sessions in a server-side namespace (bound with `session.setOwner()`), most
   * recent first: `{ handle, created, lastSeen }`, never an id.
   */
  listSessions(namespace: string, userId: string): Promise<OwnedSession[]> {
    return this.revocable(namespace).listSessions(userId);
  }

  /** Ends one of the user's sessions by its handle; false when none matched. */
  revokeSession(namespace: string, userId: string, handle: string): Promise<boolean> {
    return this.revocable(namespace).revokeSession(userId, handle);
  }

  /**
   * Ends every session of the user in the namespace, except the one given by handle or session
   * ("log out other devices"); their cookies are refused from the next request on.
   */
  revokeAllForUser(
    namespace: string,
    userId: string,
    options: { except?: string | object } = {},
  ): Promise<number> {
    return this.revocable(namespace).revokeAllForUser(userId, options);
  }

  /** The handle `listSessions()` shows for a loaded server-side session (undefined before it has an id). */
  handleOf(session: { readonly namespace: string }): string | undefined {
    return this.revocable(session.namespace).handleOfSession(session);
  }

  private revocable(namespace: string): ServerSessionFactory {
    const factory = this.factory(namespace);
    if (factory === undefined) {
      throw new UnknownNamespaceError(namespace, this.namespaces);
    }
    if (!(factory instanceof ServerSessionFactory)) {
      throw new SessionUnsupportedError(
        `Namespace "${namespace}": listing and revoking sessions needs a server-side namespace (ServerSessionFactory, RedisSessionFactory); its factory is ${factory.constructor.name}.`,
      );
    }
    return factory;
  }

  /** Closes what each factory opened itself (store connections, timers). @internal */
  async close(): Promise<void> {
    await Promise.allSettled(
      [...this.entries.values()].map((r) => r.factory.close?.() ?? Promise.resolve()),
    );
  }
}
