import {
  Injectable,
  Logger,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Observable } from 'rxjs';
import { answersThroughNest } from './route-response-mode';
import { containerOfRequest } from './session-multi.middleware';
import { toHttpError } from './session-store-unavailable.exception';

/**
 * Commits the request's loaded sessions after the handler and before Nest writes the response,
 * and waits for the store: the next request reads what this one wrote. A commit failure is
 * thrown as an `HttpException` (`SessionStoreUnavailableException`, 503), so the application's
 * exception filters format it like any other error. When the handler throws, the sessions are
 * committed under each namespace's `cookieOnException` rule and the handler's error goes on.
 *
 * On a route whose response Nest writes (no `@Res()`, `@Next()` or `@Sse()`), the interceptor is
 * the only commit the request needs, so the response's safety net is not armed unless a session
 * changes after this commit.
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
    const http = context.switchToHttp();
    const container = containerOfRequest(http.getRequest());
    if (container === undefined) {
      return next.handle();
    }
    const throughNest = answersThroughNest(context);
    container.enterInterceptor(
      // The net stays needed where the response is not Nest's to write, and on adapters whose
      // response object is not the Node response the cookies are set on (Fastify's reply).
      throughNest && http.getResponse() === container.res,
    );
    const source = next.handle();
    return new Observable<unknown>((subscriber) => {
      let finished = false;
      /** The commits (and emissions) still in flight, in order. */
      let chain: Promise<void> | undefined;
      const finish = (): void => {
        finished = true;
        container.leaveInterceptor();
      };
      const fail = (error: unknown): void => {
        if (!finished) {
          finish();
          subscriber.error(error);
        }
      };
      /** Runs `step` once the sessions are committed: at once when nothing waits for the store. */
      const afterCommit = (step: () => void): void => {
        if (chain === undefined) {
          let pending: Promise<void> | undefined;
          try {
            pending = container.needsCommit() ? container.commitForResponse(false) : undefined;
          } catch (error) {
            fail(error);
            return;
          }
          if (pending === undefined) {
            step();
            return;
          }
          chain = pending;
        } else {
          chain = chain.then(() => (container.needsCommit() ? container.commit(false) : undefined));
        }
        const current = chain.then(() => {
          if (!finished) {
            step();
          }
        });
        chain = current;
        current.catch(fail);
      };
      /**
       * On a route Nest answers itself, the response goes out once the handler's Observable
       * completes, so values pass on at once (outer interceptors see every one) and the sessions
       * commit once, before the completion; an outer interceptor that stops early (`first()`)
       * leaves the commit to the net. Values of an `@Sse()` or `@Res()` route go out to the
       * client as they come, each after a commit of what changed before it.
       */
      const subscription = source.subscribe({
        next: (value) => {
          if (throughNest) {
            subscriber.next(value);
          } else {
            afterCommit(() => subscriber.next(value));
          }
        },
        complete: () =>
          afterCommit(() => {
            finish();
            subscriber.complete();
          }),
        error: (error: unknown) => {
          container.exceptionSeen = true;
          const rethrow = (): void => fail(toHttpError(error));
          const commitAfterError = (): void => {
            if (!container.needsCommit()) {
              rethrow();
              return;
            }
            container.commit(true).then(rethrow, (commitError: unknown) => {
              // The handler's own error is what the client should see; the commit failure is logged.
              this.logger.error(
                'Session commit after an exception failed.',
                commitError instanceof Error ? commitError.stack : String(commitError),
              );
              rethrow();
            });
          };
          if (chain === undefined) {
            commitAfterError();
          } else {
            chain.then(commitAfterError, commitAfterError);
          }
        },
      });
      return () => {
        subscription.unsubscribe();
        if (!finished) {
          // Unsubscribed early (an outer interceptor's timeout): the net commits what remains.
          finish();
        }
      };
    });
  }
}
