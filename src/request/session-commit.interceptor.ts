import {
  Injectable,
  Logger,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { catchError, concatMap, defer, type Observable } from 'rxjs';
import type { SessionMultiRequest } from './session-multi.middleware';
import { toHttpError } from './session-store-unavailable.exception';

/**
 * Commits the request's loaded sessions before the handler's result reaches the response, and
 * awaits it: the store write lands before the client can send its next request. On an exception
 * it commits under each namespace's `cookieOnException` rule, then rethrows.
 *
 * Opt-in (the module does not register it): use it where commit failures should go through
 * your exception filters rather than the response gate's JSON error response.
 *
 * @example @UseInterceptors(SessionCommitInterceptor)
 * @publicApi
 */
@Injectable()
export class SessionCommitInterceptor implements NestInterceptor {
  private readonly logger = new Logger(SessionCommitInterceptor.name);

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') {
      return next.handle();
    }
    const container = context.switchToHttp().getRequest<SessionMultiRequest>().sessionMulti;
    if (container === undefined) {
      return next.handle();
    }
    container.interceptorEntered = true;
    return next.handle().pipe(
      catchError((error: unknown) =>
        defer(async () => {
          container.exceptionSeen = true;
          if (container.needsCommit()) {
            try {
              await container.commit(true);
            } catch (commitError) {
              // The handler's own error is what the client should see; the commit failure is logged.
              this.logger.error(
                'Session commit after an exception failed.',
                commitError instanceof Error ? commitError.stack : String(commitError),
              );
            }
          }
          // A store failure inside the handler (invalidate(), ensureId()...) is a 503, as at load.
          throw toHttpError(error);
        }),
      ),
      concatMap(async (value: unknown) => {
        if (container.needsCommit()) {
          await container.commit(false);
        }
        return value;
      }),
    );
  }
}
