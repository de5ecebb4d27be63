import type { Logger } from '@nestjs/common';
import { isSecureRequest } from '../factories/cookie-options';
import type {
  CommitContext,
  CookiePolicy,
  CookieVeto,
  SessionRequest,
  SessionResponse,
} from '../factories/session-factory.interface';
import { addVaryCookie, appendSetCookie } from './cookie-io';
import { ResponseNet } from './response-net';

/**
 * The framework's own response object when it keeps headers apart from the Node response until it
 * sends (Fastify's reply, where `@Header()` and `reply.header()` put theirs): they override the
 * Node response's headers of the same name.
 * @internal
 */
export interface PendingHeaders {
  getHeader(name: string): unknown;
  header(name: string, value: string): unknown;
}

/** The {@link CommitContext} a container hands to each factory at commit time. @internal */
export class ResponseCommitContext implements CommitContext {
  constructor(
    readonly namespace: string,
    readonly req: SessionRequest,
    readonly res: SessionResponse,
    readonly exception: boolean,
    private readonly logger: Logger,
    pending?: PendingHeaders,
  ) {
    this.pending = pending;
    if (pending !== undefined && !res.headersSent) {
      // The cookie policy reads the Node response: a Cache-Control the application set on the
      // framework's reply is what will be sent, so it decides there too.
      const cacheControl = pending.getHeader('cache-control');
      if (typeof cacheControl === 'string' && res.getHeader('cache-control') === undefined) {
        res.setHeader('Cache-Control', cacheControl);
      }
    }
  }

  private readonly pending: PendingHeaders | undefined;

  cookieVeto(policy: CookiePolicy): CookieVeto {
    if (ResponseNet.headersSent(this.res)) {
      this.logger.warn(
        `Namespace "${this.namespace}": the session changed after the response headers were sent, so its cookie could not be set and the change was not saved. Finish session work before sending the response (with @Res(), before res.send()).`,
      );
      return 'headers-sent';
    }
    if (this.exception && !policy.cookieOnException) {
      this.logger.debug(
        `Namespace "${this.namespace}": cookie withheld, the request ended in an exception (cookieOnException: false).`,
      );
      return 'exception';
    }
    if (!policy.allowCookies(this.req, this.res)) {
      this.logger.debug(
        `Namespace "${this.namespace}": cookie withheld by allowCookies (e.g. a publicly cacheable response).`,
      );
      return 'not-allowed';
    }
    if (policy.secure === true && !isSecureRequest(this.req)) {
      this.logger.warn(
        `Namespace "${this.namespace}": cookie withheld, secure: true but the request is plain http (a browser would drop it). Serve over https, set 'trust proxy' behind a TLS proxy, or use secure: 'auto'.`,
      );
      return 'insecure-request';
    }
    return undefined;
  }

  setCookie(serialized: string): void {
    ResponseNet.withHeaders(this.res, () => {
      appendSetCookie(this.res, serialized);
      // Vary was added when the session was loaded, but a handler may have replaced it since.
      addVaryCookie(this.res);
      keepOutOfCaches(this.res);
    });
  }

  setHeader(name: string, value: string): void {
    ResponseNet.withHeaders(this.res, () => {
      this.res.setHeader(name, value);
    });
    this.pending?.header(name, value);
  }
}

/**
 * A response that sets or clears a session cookie is one visitor's: no cache may store it.
 * An application's own Cache-Control stays (a public one already vetoed the cookie, see
 * `allowCookies`).
 */
function keepOutOfCaches(res: SessionResponse): void {
  if (res.getHeader('cache-control') === undefined) {
    res.setHeader('Cache-Control', 'private, no-store');
  }
}
