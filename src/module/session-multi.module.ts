import {
  Module,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type Provider,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
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
import {
  SessionMultiMiddleware,
  type SessionMultiRequest,
} from '../request/session-multi.middleware';
import type { SessionResponse } from '../factories/session-factory.interface';
import { gateResponsePrototype } from '../request/response-gate';
import { SessionContainer } from '../request/session-container';
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
  ) {
    super();
  }

  /** Synchronous configuration; also registers each factory under `getSessionFactoryToken(ns)`. */
  static override forRoot(options: typeof OPTIONS_TYPE): DynamicModule {
    const base = super.forRoot(options);
    const providers = factoryProviders(options?.sessions ?? [], []);
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
   * Makes `req.sessionMulti` available on every request. On Express it is an accessor on the
   * application's request prototype: the container is created the first time something reads it,
   * so a request that touches no session does no work at all. Other adapters get a plain
   * `app.use()` middleware. Either way Nest's routed middleware is skipped (its per-route matching
   * costs every request), and commits happen in the response gate, so no global interceptor is
   * registered either (see Benchmarks in the README).
   */
  configure(_consumer: MiddlewareConsumer): void {
    const adapter = this.adapterHost?.httpAdapter;
    if (adapter === undefined) {
      return;
    }
    const express = expressPrototypes(adapter);
    if (express !== undefined) {
      defineContainerAccessor(express.request, this.registry);
      gateResponsePrototype(express.response);
      return;
    }
    const middleware = new SessionMultiMiddleware(this.registry);
    adapter.use((req: SessionMultiRequest, res: SessionResponse, next: () => void) =>
      middleware.use(req, res, next),
    );
  }

  onApplicationBootstrap(): void {
    this.registry.freeze();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.registry.close();
  }
}

/** Express's per-application request and response prototypes, or undefined for other adapters. */
function expressPrototypes(adapter: {
  getType?: () => string;
  getInstance?: () => unknown;
}): { request: object; response: object } | undefined {
  if (adapter.getType?.() !== 'express') {
    return undefined;
  }
  const app = adapter.getInstance?.() as { request?: unknown; response?: unknown } | undefined;
  const { request, response } = app ?? {};
  return typeof request === 'object' &&
    request !== null &&
    typeof response === 'object' &&
    response !== null
    ? { request, response }
    : undefined;
}

const kContainer = Symbol('sessionMultiContainer');

/**
 * `req.sessionMulti` as an accessor: the container is created on first read and kept under a
 * symbol (a plain property store, which V8 handles on its fast path, unlike defineProperty).
 */
function defineContainerAccessor(prototype: object, registry: SessionRegistry): void {
  type Carrier = SessionMultiRequest & {
    res?: SessionResponse;
    [kContainer]?: SessionContainer | undefined;
  };
  Object.defineProperty(prototype, 'sessionMulti', {
    configurable: true,
    // Not enumerable: a for...in over a request must not create a container.
    enumerable: false,
    get(this: Carrier): SessionContainer | undefined {
      const existing = this[kContainer];
      if (existing !== undefined || this.res === undefined || Object.hasOwn(this, kContainer)) {
        return existing;
      }
      const container = new SessionContainer(registry, this, this.res);
      this[kContainer] = container;
      return container;
    },
    set(this: Carrier, value: SessionContainer | undefined) {
      this[kContainer] = value;
    },
  });
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
