import { createParamDecorator, UseInterceptors, type ExecutionContext } from '@nestjs/common';
import { INTERCEPTORS_METADATA } from '@nestjs/common/constants';
import type { NamespacedSession } from '../session/session';
import { SessionMultiError } from '../session/session-multi.error';
import { NAMESPACE_PARAMS_METADATA } from './session-multi.metadata';
import { SessionCommitInterceptor } from './session-commit.interceptor';
import type { SessionContainer } from './session-container';
import { containerOfRequest } from './session-multi.middleware';

/** @internal */
export function containerOf(ctx: ExecutionContext): SessionContainer {
  const container = containerOfRequest(ctx.switchToHttp().getRequest());
  if (container === undefined) {
    throw new SessionMultiError(
      'No session container on this request: the SessionMultiModule middleware did not run. Import SessionMultiModule.forRoot() or forRootAsync() in the application module (HTTP routes only).',
    );
  }
  return container;
}

// The session itself when it is known at once (a cookie session); otherwise a promise, which
// Nest awaits for a custom param factory on HTTP routes, so the handler gets the loaded session.
const SessionParam = createParamDecorator((namespace: string, ctx: ExecutionContext) =>
  containerOf(ctx).load(namespace),
);

const SessionsParam = createParamDecorator((_: unknown, ctx: ExecutionContext) => containerOf(ctx));

/**
 * Adds {@link SessionCommitInterceptor} to the handler the parameter belongs to (once), so every
 * route that takes a session commits it before Nest writes the response, and routes that take
 * none have no interceptor at all.
 */
function commitOnResponse(
  target: object,
  key: string | symbol | undefined,
  namespace: string | undefined,
): void {
  if (key === undefined) {
    return;
  }
  const handler = (target as Record<string | symbol, unknown>)[key];
  if (typeof handler !== 'function') {
    return;
  }
  const interceptors = (Reflect.getMetadata(INTERCEPTORS_METADATA, handler) ?? []) as unknown[];
  if (!interceptors.includes(SessionCommitInterceptor)) {
    const descriptor = Object.getOwnPropertyDescriptor(target, key)!;
    UseInterceptors(SessionCommitInterceptor)(target, key, descriptor);
  }
  if (namespace !== undefined) {
    // Checked against the registry at start-up.
    const used = (Reflect.getMetadata(NAMESPACE_PARAMS_METADATA, handler) ?? []) as string[];
    Reflect.defineMetadata(NAMESPACE_PARAMS_METADATA, [...used, namespace], handler);
  }
}

/**
 * Injects the session of one namespace, loaded on first use, or `null` when the namespace's
 * discriminator did not mount it on this request. The route commits the session before Nest
 * writes the response.
 *
 * Not to be confused with `@nestjs/common`'s `Session` (express-session's `req.session`): import
 * this one from 'nestjs-session-multi', or use the alias {@link MultiSession}.
 *
 * @example show(@Session('cart') cart: Session<Cart> | null) {}
 * @publicApi
 */
export const Session = (namespace: string): ParameterDecorator => {
  if (typeof namespace !== 'string' || namespace === '') {
    throw new SessionMultiError(
      "@Session() needs the namespace to inject, e.g. @Session('cart'). Use @Sessions() for the container.",
    );
  }
  const param = SessionParam(namespace);
  return (target, key, index) => {
    param(target, key, index);
    commitOnResponse(target, key, namespace);
  };
};

/** The session type: `Session<Cart>` is the `cart` namespace's session. @publicApi */
export type Session<T extends object = Record<string, unknown>> = NamespacedSession<T>;

/** Alias of {@link Session} (decorator and type) that cannot clash with `@nestjs/common`. @publicApi */
export const MultiSession = Session;
/** @publicApi */
export type MultiSession<T extends object = Record<string, unknown>> = NamespacedSession<T>;

/** Injects the request's {@link SessionContainer} (`req.sessionMulti`). @publicApi */
export const Sessions = (): ParameterDecorator => {
  const param = SessionsParam();
  return (target, key, index) => {
    param(target, key, index);
    commitOnResponse(target, key, undefined);
  };
};
