import type { SessionFactory } from '../factories/session-factory.interface';
import type { Discriminator } from '../request/namespace-directory';

export type { Discriminator };

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
