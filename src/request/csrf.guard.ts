import {
  ForbiddenException,
  Injectable,
  mixin,
  type CanActivate,
  type ExecutionContext,
  type Type,
} from '@nestjs/common';
import { CSRF_KEY, csrfTokensMatch } from '../session/csrf';
import { CSRF_GUARD_NAMESPACE_METADATA } from './session-multi.metadata';
import { containerOf } from './session.decorator';

/** Options of {@link CsrfGuard}. @publicApi */
export interface CsrfGuardOptions {
  /** Request header carrying the token. @default 'x-csrf-token' */
  header?: string;
  /** Body field carrying the token (form posts). @default '_csrf' */
  field?: string;
  /** Methods that are never checked. @default ['GET', 'HEAD', 'OPTIONS'] */
  safeMethods?: string[];
}

/**
 * A guard that checks the CSRF token of a namespace's session against the `X-CSRF-Token` header
 * or a `_csrf` body field (constant-time), answering 403 when it is missing or wrong.
 *
 * @example @UseGuards(CsrfGuard('cart')) @Post('cart') add() {}
 * @publicApi
 */
export function CsrfGuard(namespace: string, options: CsrfGuardOptions = {}): Type<CanActivate> {
  const header = (options.header ?? 'x-csrf-token').toLowerCase();
  const field = options.field ?? '_csrf';
  const safe = new Set(
    (options.safeMethods ?? ['GET', 'HEAD', 'OPTIONS']).map((m) => m.toUpperCase()),
  );

  @Injectable()
  class CsrfGuardMixin implements CanActivate {
    async canActivate(context: ExecutionContext): Promise<boolean> {
      const req = context.switchToHttp().getRequest<{
        method: string;
        headers: Record<string, string | string[] | undefined>;
        body?: Record<string, unknown>;
      }>();
      if (safe.has(req.method.toUpperCase())) {
        return true;
      }
      const fromHeader = req.headers[header];
      const submitted = typeof fromHeader === 'string' ? fromHeader : req.body?.[field];
      const session = await containerOf(context).get(namespace);
      const expected = session?.peekData()[CSRF_KEY];
      if (!csrfTokensMatch(typeof expected === 'string' ? expected : undefined, submitted)) {
        throw new ForbiddenException('Invalid or missing CSRF token.');
      }
      return true;
    }
  }
  // Read at bootstrap, so a guard naming an unregistered namespace fails start-up.
  Reflect.defineMetadata(CSRF_GUARD_NAMESPACE_METADATA, namespace, CsrfGuardMixin);
  return mixin(CsrfGuardMixin);
}
