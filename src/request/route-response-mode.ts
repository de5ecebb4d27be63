import type { ExecutionContext } from '@nestjs/common';
import { ROUTE_ARGS_METADATA, SSE_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';

/** Per handler: does Nest write its response after the interceptors (true), or the handler? */
const modes = new WeakMap<object, boolean>();

/**
 * True when Nest itself writes the handler's response after the interceptors ran: no `@Res()` or
 * `@Next()` parameter (with or without `passthrough`, the handler can write on its own) and no
 * `@Sse()`, whose headers leave before the first event. Read once per handler.
 *
 * @internal
 */
export function answersThroughNest(context: ExecutionContext): boolean {
  const handler = context.getHandler();
  let mode = modes.get(handler);
  if (mode === undefined) {
    mode = readMode(context.getClass(), handler);
    modes.set(handler, mode);
  }
  return mode;
}

function readMode(controller: object, handler: { name: string }): boolean {
  if (Reflect.getMetadata(SSE_METADATA, handler) === true) {
    return false;
  }
  // Route parameter decorators record their parameters on the controller class, by method name.
  const params = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handler.name) ??
    {}) as Record<string, unknown>;
  const respondsItself = new Set<string>([
    String(RouteParamtypes.RESPONSE),
    String(RouteParamtypes.NEXT),
  ]);
  // Keys are "<paramtype>:<index>".
  return !Object.keys(params).some((key) => respondsItself.has(key.split(':')[0]!));
}
