import {
  Injectable,
  Logger,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { catchError, concatMap, defer, type Observable } from 'rxjs';
import { containerOfRequest } from './session-multi.middleware';
import { toHttpError } from './session-store-unavailable.exception';

/**
 * Commits the request's loaded sessions after the handler and before Nest writes the response,
 * and waits for the store: the next request reads what this one wrote. A commit failure is
 * thrown as an `HttpException` (`SessionStoreUnavailableException`, 503), so the application's
 * exception filters format it like any other error. When the handler throws, the sessions are
 * committed under each namespace's `cookieOnException` rule and the handler's error goes on.
 *
 * `@Session()`, `@MultiSession()` and `@Sessions()` add it to their route; apply it yourself
 * only to a route that reaches sessions through `req.sessionMulti` alone.
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
    const container = containerOfRequest(context.switchToHttp().getRequest());
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
