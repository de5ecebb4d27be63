import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import type {
  CommitContext,
  CookiePolicy,
  CookieVeto,
  LoadContext,
  SessionRequest,
  SessionResponse,
} from '../../src/factories/session-factory.interface';

/** A bare Node request (plain http unless `secure`). */
export function fakeRequest(options: { secure?: boolean; cookie?: string } = {}): SessionRequest {
  const req = new IncomingMessage(new Socket()) as SessionRequest;
  req.secure = options.secure ?? false;
  if (options.cookie !== undefined) {
    req.headers.cookie = options.cookie;
  }
  return req;
}

/** What a factory's load() receives. */
export function loadContext(
  namespace: string,
  cookies: Record<string, string | undefined> = {},
  req: SessionRequest = fakeRequest(),
): LoadContext {
  return { namespace, req, cookies };
}

/** A CommitContext that records Set-Cookie values and the policies it was asked about. */
export class RecordingCommitContext implements CommitContext {
  readonly cookies: string[] = [];
  readonly policies: CookiePolicy[] = [];
  readonly res: SessionResponse;

  constructor(
    readonly namespace: string,
    readonly req: SessionRequest = fakeRequest(),
    private readonly veto: CookieVeto = undefined,
    readonly exception = false,
  ) {
    this.res = new ServerResponse(req);
  }

  cookieVeto(policy: CookiePolicy): CookieVeto {
    this.policies.push(policy);
    return this.veto;
  }

  setCookie(serialized: string): void {
    this.cookies.push(serialized);
  }

  /** The cookie value (between "name=" and the first ";") of the only cookie set. */
  value(): string {
    if (this.cookies.length !== 1) {
      throw new Error(`expected one Set-Cookie, got ${this.cookies.length}`);
    }
    const pair = this.cookies[0]!.split(';')[0]!;
    return decodeURIComponent(pair.slice(pair.indexOf('=') + 1));
  }
}
