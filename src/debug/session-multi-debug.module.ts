import {
  Inject,
  Module,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestModule,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { HttpAdapterHost, ModuleRef } from '@nestjs/core';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SessionRegistry } from '../module/session-registry';
import { SessionConfigurationError } from '../session/session-configuration.error';
import { resolveDebugOptions, type ResolvedDebugOptions } from './debug-options';
import { DebugRecorder } from './debug-recorder';
import { isPanelUrl, registerPanelRoutes, type RouteAdapter } from './debug-routes';
import type { SessionMultiDebugOptions } from './session-multi-debug-options.interface';

/** @internal */
export const SESSION_MULTI_DEBUG_OPTIONS = 'SESSION_MULTI_DEBUG_OPTIONS';

interface PanelAdapter extends RouteAdapter {
  getType(): string;
  getInstance(): unknown;
  use(handler: (req: IncomingMessage, res: ServerResponse, next: () => void) => void): unknown;
}

interface FastifyHooks {
  addHook(
    name: 'onRequest',
    hook: (
      request: { raw: IncomingMessage },
      reply: { raw: ServerResponse },
      done: () => void,
    ) => void,
  ): void;
}

/**
 * The session debug panel: records what each request did with each namespace (data before and
 * after, redacted; changed keys; what the commit did) and serves it as HTML and JSON under
 * `path`, to loopback callers by default. Import it beside `SessionMultiModule`; without it the
 * request path carries no recording code at all.
 *
 * @example SessionMultiDebugModule.forRoot({ enabled: process.env.NODE_ENV === 'development' })
 * @see docs/debug-panel.md
 * @publicApi
 */
@Module({})
export class SessionMultiDebugModule implements NestModule, OnApplicationShutdown {
  private registry: SessionRegistry | undefined;

  constructor(
    @Inject(SESSION_MULTI_DEBUG_OPTIONS) private readonly options: ResolvedDebugOptions,
    private readonly adapterHost: HttpAdapterHost,
    private readonly moduleRef: ModuleRef,
  ) {}

  /** Options are checked when the application starts (`compile()`), production rule included. */
  static forRoot(options: SessionMultiDebugOptions): DynamicModule {
    return {
      module: SessionMultiDebugModule,
      providers: [
        {
          provide: SESSION_MULTI_DEBUG_OPTIONS,
          useFactory: () => resolveDebugOptions(options),
        },
      ],
    };
  }

  /** Installs the recorder and the panel's routes on the HTTP adapter when enabled. */
  configure(_consumer: MiddlewareConsumer): void {
    const adapter = this.adapterHost?.httpAdapter as unknown as PanelAdapter | undefined;
    if (!this.options.enabled || adapter == null) {
      return;
    }
    const registry = this.lookUpRegistry();
    const recorder = new DebugRecorder(registry, this.options);
    registry.observer = recorder;
    this.registry = registry;
    const path = this.options.path;
    const record = (req: IncomingMessage, res: ServerResponse): void => {
      if (!isPanelUrl(req.url, path)) {
        recorder.begin(req, res);
      }
    };
    if (adapter.getType() === 'fastify') {
      (adapter.getInstance() as FastifyHooks).addHook('onRequest', (request, reply, done) => {
        record(request.raw, reply.raw);
        done();
      });
    } else {
      adapter.use((req, res, next) => {
        record(req, res);
        next();
      });
    }
    registerPanelRoutes(adapter, this.options, recorder);
  }

  onApplicationShutdown(): void {
    if (this.registry !== undefined) {
      this.registry.observer = undefined;
    }
  }

  private lookUpRegistry(): SessionRegistry {
    try {
      return this.moduleRef.get(SessionRegistry, { strict: false });
    } catch {
      throw new SessionConfigurationError(
        'SessionMultiDebugModule: no SessionRegistry was found. Import SessionMultiModule.forRoot() in the same application.',
      );
    }
  }
}
