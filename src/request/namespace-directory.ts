import type { SessionFactory, SessionRequest } from '../factories/session-factory.interface';
import type { SessionObserver } from './session-observer';

/**
 * Decides per request whether a namespace is mounted. Returning false mounts `null` for the
 * whole request (e.g. an https-only session on plain http). May be async.
 *
 * @publicApi
 */
export type Discriminator = (req: SessionRequest) => boolean | Promise<boolean>;

/** What a request needs to know of one namespace. @internal */
export interface MountedNamespace {
  factory: SessionFactory;
  discriminator?: Discriminator;
}

/** The registered namespaces as a request sees them (`SessionRegistry` implements it). @internal */
export interface NamespaceDirectory {
  readonly namespaces: string[];
  registration(namespace: string): MountedNamespace | undefined;
  factory(namespace: string): SessionFactory | undefined;
  /** Watches mounts and commits (the debug panel); undefined unless one is installed. */
  readonly observer?: SessionObserver | undefined;
}
