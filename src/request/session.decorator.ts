import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { NamespacedSession } from '../session/session';
import { SessionMultiError } from '../session/session-multi.error';
import type { SessionContainer } from './session-container';
import type { SessionMultiRequest } from './session-multi.middleware';

/** @internal */
export function containerOf(ctx: ExecutionContext): SessionContainer {
  const container = ctx.switchToHttp().getRequest<SessionMultiRequest>().sessionMulti;
  if (container === undefined) {
    throw new SessionMultiError(
      'No session container on this request: SessionMultiModule middleware did not run. Import SessionMultiModule.forRoot() in the application module (HTTP routes only).',
    );
  }
  return container;
}

// Nest awaits a Promise returned by a custom param factory on HTTP routes, so the handler gets
// the loaded session (STYLE section 4, item 10).
const SessionParam = createParamDecorator((namespace: string, ctx: ExecutionContext) =>
  containerOf(ctx).get(namespace),
);

const SessionsParam = createParamDecorator((_: unknown, ctx: ExecutionContext) => containerOf(ctx));

/**
 * Injects the session of one namespace, loaded on first use, or `null` when the namespace's
 * discriminator did not mount it on this request.
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
  return SessionParam(namespace);
};

/** The session type: `Session<Cart>` is the `cart` namespace's session. @publicApi */
export type Session<T extends object = Record<string, unknown>> = NamespacedSession<T>;

/** Alias of {@link Session} (decorator and type) that cannot clash with `@nestjs/common`. @publicApi */
export const MultiSession = Session;
/** @publicApi */
export type MultiSession<T extends object = Record<string, unknown>> = NamespacedSession<T>;

/** Injects the request's {@link SessionContainer} (`req.sessionMulti`). @publicApi */
export const Sessions = (): ParameterDecorator => SessionsParam();
