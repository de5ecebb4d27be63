import type { SessionFactory, SessionRequest } from '../factories/session-factory.interface';

/**
 * Decides per request whether a namespace is mounted. Returning false mounts `null` for the
 * whole request (e.g. an https-only session on plain http). May be async.
 *
 * @publicApi
 */
export type Discriminator = (req: SessionRequest) => boolean | Promise<boolean>;

/** One namespace: its name, its factory and, optionally, its discriminator. @publicApi */
export interface NamespaceRegistration {
  namespace: string;
  factory: SessionFactory;
  discriminator?: Discriminator;
}

/** Options of `SessionMultiModule.forRoot()` / `forRootAsync()`. @publicApi */
export interface SessionMultiModuleOptions {
  sessions: NamespaceRegistration[];
}

/** For `forRootAsync({ useClass })`. @publicApi */
export interface SessionMultiOptionsFactory {
  createSessionMultiOptions(): SessionMultiModuleOptions | Promise<SessionMultiModuleOptions>;
}
