/**
 * Raised by a commit that gives a new session id through {@link queryTransport}: the response
 * becomes `303 See Other` to {@link SessionRedirect.location}, the request's URL with the id set.
 * The request layer turns it into `SessionRedirectException`.
 *
 * @publicApi
 */
export class SessionRedirect extends Error {
  readonly status = 303;

  constructor(
    readonly namespace: string,
    readonly location: string,
  ) {
    super(
      `Namespace "${namespace}": the new session id is given by a 303 redirect to the same URL with the id (queryTransport, redirectOnCreate).`,
    );
  }

  override get name(): string {
    return 'SessionRedirect';
  }
}
