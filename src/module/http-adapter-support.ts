import type { SessionRequest, SessionResponse } from '../factories/session-factory.interface';
import { attachContainer, type SessionMultiRequest } from '../request/session-multi.middleware';
import type { PendingHeaders } from '../request/commit-context';
import { SessionContainer } from '../request/session-container';
import { SessionConfigurationError } from '../session/session-configuration.error';
import type { SessionRegistry } from './session-registry';

interface HttpAdapterLike {
  getType?(): string;
  getInstance?(): unknown;
  use(handler: (req: SessionMultiRequest, res: SessionResponse, next: () => void) => void): unknown;
  /** Nest's request hook (Fastify: runs before middleware). */
  setOnRequestHook?(hook: FastifyHook): void;
}

type FastifyHook = (
  request: { raw: SessionRequest; protocol: string; sessionMulti?: SessionContainer | null },
  reply: PendingHeaders & { raw: SessionResponse },
  done: () => void,
) => unknown;

interface FastifyLike {
  hasRequestDecorator(name: string): boolean;
  decorateRequest(name: string, value: unknown): void;
  addHook(name: 'onRequest', hook: FastifyHook): void;
}

/**
 * Makes `req.sessionMulti` available on every request of the application's HTTP adapter, or
 * refuses an adapter the module does not support.
 *
 * @internal
 */
/** The registry attached to each HTTP server instance (Express app, Fastify instance). */
const attached = new WeakMap<object, SessionRegistry>();

/**
 * One registry per application: a second `forRoot()` / `forRootAsync()` would otherwise replace
 * the first one's container and namespaces silently.
 */
function claim(instance: unknown, registry: SessionRegistry): boolean {
  // An Express app is a function, a Fastify instance an object.
  if ((typeof instance !== 'object' && typeof instance !== 'function') || instance === null) {
    return true;
  }
  const owner = attached.get(instance);
  if (owner === registry) {
    return false;
  }
  if (owner !== undefined) {
    throw new SessionConfigurationError(
      `SessionMultiModule is configured twice in one application (two forRoot() / forRootAsync() imports; namespaces ${owner.namespaces.map((n) => `"${n}"`).join(', ')} and ${registry.namespaces.map((n) => `"${n}"`).join(', ')}). Import forRoot() or forRootAsync() once, in the root module, and register a feature module's namespaces with SessionMultiModule.forFeature().`,
    );
  }
  attached.set(instance, registry);
  return true;
}

/** The application closed: its HTTP instance may serve a new application (tests reuse one). */
export function detachFromAdapter(adapter: HttpAdapterLike, registry: SessionRegistry): void {
  const instance = adapter.getInstance?.();
  if (typeof instance === 'object' || typeof instance === 'function') {
    if (instance !== null && attached.get(instance) === registry) {
      attached.delete(instance);
    }
  }
}

export function attachToAdapter(adapter: HttpAdapterLike, registry: SessionRegistry): void {
  const type = adapter.getType?.();
  if ((type === 'express' || type === 'fastify') && !claim(adapter.getInstance?.(), registry)) {
    return;
  }
  if (type === 'express') {
    const app = adapter.getInstance?.() as { request?: unknown } | undefined;
    if (typeof app?.request === 'object' && app.request !== null) {
      defineContainerAccessor(app.request, registry);
      return;
    }
    adapter.use((req, res, next) => {
      attachContainer(registry, req, res);
      next();
    });
    return;
  }
  if (type === 'fastify') {
    const fastify = adapter.getInstance?.() as FastifyLike;
    if (!fastify.hasRequestDecorator('sessionMulti')) {
      fastify.decorateRequest('sessionMulti', null);
    }
    const attach: FastifyHook = (request, reply, done) => {
      if (request.sessionMulti == null) {
        const raw = request.raw;
        // `req.secure` as on Express, for discriminators and cookie rules: Fastify's protocol,
        // which reads the socket and, with trustProxy, X-Forwarded-Proto.
        Object.defineProperty(raw, 'secure', {
          configurable: true,
          get: () => request.protocol === 'https',
        });
        const container = attachContainer(registry, raw, reply.raw);
        container.pendingHeaders = reply;
        request.sessionMulti = container;
      }
      done();
    };
    // Nest's request hook runs before middie, so middleware (`MiddlewareConsumer`, `app.use()`)
    // sees `req.sessionMulti` as on Express; a hook already set there runs after ours.
    if (typeof adapter.setOnRequestHook === 'function') {
      const previous = (adapter as { onRequestHook?: FastifyHook }).onRequestHook;
      adapter.setOnRequestHook(
        previous === undefined
          ? attach
          : (request, reply, done) => {
              // attach() calls its callback at once; the hook set before ours may be async
              // (a promise Nest waits for instead of done), so its result is passed on.
              let result: unknown;
              attach(request, reply, () => {
                result = previous.call(adapter, request, reply, done);
              });
              return result;
            },
      );
    }
    // Also a hook of its own: the container is there for guards and handlers even when the
    // application replaces Nest's request hook later.
    fastify.addHook('onRequest', attach);
    return;
  }
  throw new SessionConfigurationError(
    `SessionMultiModule: the HTTP adapter "${String(type)}" is not supported. Use @nestjs/platform-express or @nestjs/platform-fastify.`,
  );
}

/**
 * Where an Express request's container is kept: under a symbol of the response's `res.locals`
 * (template engines read its string keys only). Express swaps the request's prototype, after which every property added to the
 * request costs V8 a new hidden class for that one object, and a WeakMap entry per request is
 * costly for the garbage collector; `res.locals` is a null-prototype dictionary Express creates
 * for every request, where one more key costs nothing. A request without `res.locals` (replaced
 * by the application) keeps the container on itself.
 */
const kContainer = Symbol('sessionMultiContainer');

type ContainerHolder = Record<symbol, SessionContainer | undefined>;

function holderOf(req: { res?: SessionResponse }): ContainerHolder {
  const locals = (req.res as { locals?: unknown } | undefined)?.locals;
  return (typeof locals === 'object' && locals !== null ? locals : req) as ContainerHolder;
}

/** Whether an Express request's container was created (tests; reading `sessionMulti` creates it). @internal */
export function containerCreated(req: { res?: SessionResponse }): boolean {
  return holderOf(req)[kContainer] !== undefined;
}

/**
 * `req.sessionMulti` on Express as an accessor of the application's own request prototype: the
 * container exists for every middleware, including those the application mounted before this
 * module, and is created only when something reads it.
 */
function keep(holder: ContainerHolder, container: SessionContainer | undefined): void {
  holder[kContainer] = container;
}

function defineContainerAccessor(prototype: object, registry: SessionRegistry): void {
  type Carrier = SessionMultiRequest & { res?: SessionResponse };
  Object.defineProperty(prototype, 'sessionMulti', {
    configurable: true,
    // Not enumerable: a for...in over a request must not create a container.
    enumerable: false,
    get(this: Carrier): SessionContainer | undefined {
      const holder = holderOf(this);
      const existing = holder[kContainer];
      if (existing !== undefined || this.res === undefined || kContainer in holder) {
        return existing;
      }
      const container = new SessionContainer(registry, this, this.res);
      keep(holder, container);
      return container;
    },
    set(this: Carrier, value: SessionContainer | undefined) {
      keep(holderOf(this), value);
    },
  });
}
