import {
  createParamDecorator,
  UseInterceptors,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
  type Type,
} from '@nestjs/common';
import type { Observable } from 'rxjs';

/** An interceptor that only passes the handler's result on. */
class PassThroughInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle();
  }
}

/** A custom parameter decorator whose factory returns its argument. */
const Constant = createParamDecorator((value: number) => value);

/**
 * Gives `method` of `controller` what every session route carries besides the session itself: an
 * interceptor (as SessionCommitInterceptor is) and a custom parameter decorator as its first
 * parameter (as @Session() is), which receives 0. The `-intercepted` variants measure with it
 * what Nest's own interceptor and parameter machinery cost a route.
 */
export function addSessionRouteMachinery(controller: Type, method: string): void {
  const prototype = controller.prototype as Record<string, unknown>;
  const descriptor = Object.getOwnPropertyDescriptor(prototype, method)!;
  UseInterceptors(PassThroughInterceptor)(prototype, method, descriptor);
  Constant(0)(prototype, method, 0);
}
