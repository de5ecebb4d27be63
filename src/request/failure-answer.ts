import type { Logger } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { SessionRedirectException } from './session-redirect.exception';

/**
 * Answers a response whose commit failed before anything was sent: the failure's status (503 for
 * a store outage) in Nest's error shape, logged once. Cookies already set by namespaces that
 * committed stay on the response. A query transport's redirect is answered as its 303.
 *
 * @internal
 */
export function answerCommitFailure(res: ServerResponse, error: unknown, logger: Logger): void {
  if (error instanceof SessionRedirectException) {
    error.answer(res);
    return;
  }
  const status = (error as { getStatus?: () => number }).getStatus?.() ?? 500;
  logger.error(
    `Session commit failed before the response was sent; answering ${status} instead.`,
    error instanceof Error ? error.stack : String(error),
  );
  const body = JSON.stringify(errorBody(error, status));
  res.statusCode = status;
  res.removeHeader('content-length');
  res.removeHeader('content-encoding');
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(body);
}

/**
 * The body Nest's own exception filter sends for `error`, so a client sees one error shape
 * whether the interceptor's commit failed or the net's: an `HttpException`'s response, else
 * Nest's answer to an unknown error.
 */
function errorBody(error: unknown, status: number): object {
  const response = (error as { getResponse?: () => unknown }).getResponse?.();
  if (typeof response === 'object' && response !== null) {
    return response;
  }
  if (typeof response === 'string') {
    return { statusCode: status, message: response };
  }
  return { statusCode: 500, message: 'Internal server error' };
}
