import { HttpException, HttpStatus } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import type { SessionRedirect } from '../factories/transports/session-redirect.error';

/**
 * The HTTP face of a {@link SessionRedirect}: `303 See Other` to the request's URL with the new
 * session id (queryTransport, redirectOnCreate). Thrown by the commit after the store write, it
 * replaces the handler's result through Nest's exception layer; its `Location` header is already
 * on the response. An exception filter that formats every `HttpException` keeps the status and
 * the header as long as it answers with `exception.getStatus()`.
 *
 * @publicApi
 */
export class SessionRedirectException extends HttpException {
  constructor(readonly redirect: SessionRedirect) {
    super(
      { statusCode: HttpStatus.SEE_OTHER, message: 'See Other', location: redirect.location },
      HttpStatus.SEE_OTHER,
    );
  }

  /** Answers the redirect on a response the safety net held (`@Res()` routes, guards). @internal */
  answer(res: ServerResponse): void {
    res.statusCode = HttpStatus.SEE_OTHER;
    res.removeHeader('content-length');
    res.removeHeader('content-encoding');
    res.setHeader('location', this.redirect.location);
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.end(JSON.stringify(this.getResponse()));
  }
}
