import {
  Module,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type Provider,
} from '@nestjs/common';
import { HttpAdapterHost, ModulesContainer } from '@nestjs/core';
import { assertKnownNamespaces } from './namespace-usage-check';
import {
  ASYNC_OPTIONS_TYPE,
  ConfigurableModuleClass,
  OPTIONS_TYPE,
  SESSION_MULTI_MODULE_OPTIONS,
} from './session-multi.module-definition';
import type {
  NamespaceRegistration,
  SessionMultiModuleOptions,
} from './session-multi-options.interface';
import { SessionRegistry } from './session-registry';
import { getSessionFactoryToken } from './session-factory-token.util';
import { SESSION_MULTI_FEATURE } from './session-multi.constants';
import { attachToAdapter, detachFromAdapter } from './http-adapter-support';
import { SessionConfigurationError } from '../session/session-configuration.error';

function createRegistry(options: SessionMultiModuleOptions): SessionRegistry {
  if (options == null || typeof options !== 'object') {
    throw new SessionConfigurationError(
      'SessionMultiModule options are missing. Return { sessions: [...] } from forRoot() or the forRootAsync() factory.',
    );
  }
  const registry = new SessionRegistry();
  registry.register(options.sessions);
  return registry;
}

function factoryProviders(
  registrations: readonly NamespaceRegistration[],
  after: string[],
): Provider[] {
  return (registrations ?? [])
    .filter((r) => typeof r?.namespace === 'string')
    .map((r) => ({
      provide: getSessionFactoryToken(r.namespace),
      // Resolved through the registry so the rules have run before anyone receives a factory.
      useFactory: (registry: SessionRegistry) => registry.factory(r.namespace),
      inject: [SessionRegistry, ...after],
    }));
}

/**
 * Registers named session namespaces, validates them when the application starts, attaches
 * `req.sessionMulti` to every request (nothing is loaded until asked) and commits loaded sessions
 * before each response.
 *
 * @publicApi
 */
@Module({
  providers: [
    {
      provide: SessionRegistry,
      useFactory: createRegistry,
      inject: [SESSION_MULTI_MODULE_OPTIONS],
    },
  ],
  exports: [SessionRegistry],
})
export class SessionMultiModule
  extends ConfigurableModuleClass
  implements NestModule, OnApplicationBootstrap, OnApplicationShutdown
{
  constructor(
    private readonly registry: SessionRegistry,
    private readonly adapterHost: HttpAdapterHost,
    private readonly modules: ModulesContainer,
  ) {
    super();
  }

  /** Synchronous configuration; also registers each factory under `getSessionFactoryToken(ns)`. */
  static override forRoot(options: typeof OPTIONS_TYPE): DynamicModule {
    const base = super.forRoot(options);
    // Anything but an array is refused by the registry at compile(), as with forRootAsync().
    const sessions = Array.isArray(options?.sessions) ? options.sessions : [];
    const providers = factoryProviders(sessions, []);
    return {
      ...base,
      providers: [...(base.providers ?? []), ...providers],
      exports: [
        ...(base.exports ?? []),
        ...providers.map((p) => (p as { provide: string }).provide),
      ],
    };
  }

  /** Configuration from other providers (e.g. `ConfigService`): useFactory, useClass or useExisting. */
  static override forRootAsync(options: typeof ASYNC_OPTIONS_TYPE): DynamicModule {
    return super.forRootAsync(options);
  }

  /**
   * Namespaces owned by a feature module. They are validated together with the root ones, and
   * their factories are injectable with `@InjectSessionFactory(ns)`.
   */
  static forFeature(registrations: NamespaceRegistration[]): DynamicModule {
    return SessionMultiFeatureModule.register(registrations);
  }

  /**
   * Attaches `req.sessionMulti` to every request (an empty container: nothing is loaded until a
   * handler asks), straight on the HTTP adapter rather than through Nest's routed middleware,
   * whose per-route matching every request would pay. Express gets an `app.use()` middleware,
   * Fastify an `onRequest` hook that puts the container on the Fastify request and its raw Node
   * request. Any other adapter is refused at start-up.
   */
  configure(_consumer: MiddlewareConsumer): void {
    const adapter = this.adapterHost?.httpAdapter;
    if (adapter === undefined || adapter === null) {
      return;
    }
    attachToAdapter(adapter, this.registry);
  }

  onApplicationBootstrap(): void {
    this.registry.freeze();
    assertKnownNamespaces(this.modules, this.registry);
  }

  async onApplicationShutdown(): Promise<void> {
    const adapter = this.adapterHost?.httpAdapter;
    if (adapter !== undefined && adapter !== null) {
      detachFromAdapter(adapter, this.registry);
    }
    await this.registry.close();
  }
}

let featureCount = 0;

/** The dynamic module behind `SessionMultiModule.forFeature()`. @internal */
@Module({})
export class SessionMultiFeatureModule {
  static register(registrations: NamespaceRegistration[]): DynamicModule {
    const token = `${SESSION_MULTI_FEATURE}:${++featureCount}`;
    const providers = factoryProviders(registrations, [token]);
    return {
      module: SessionMultiFeatureModule,
      providers: [
        {
          provide: token,
          useFactory: (registry: SessionRegistry) => {
            registry.register(registrations);
            return registrations.map((r) => r.namespace);
          },
          inject: [SessionRegistry],
        },
        ...providers,
      ],
      exports: providers.map((p) => (p as { provide: string }).provide),
    };
  }
}
