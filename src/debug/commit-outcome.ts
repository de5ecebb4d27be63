import type { ServerResponse } from 'node:http';
import type { SessionFactory } from '../factories/session-factory.interface';
import { ServerSessionFactory } from '../factories/server-session.factory';
import { serverState, type ServerSessionState } from '../factories/server-session-backend';
import { SessionConflictError } from '../factories/session-conflict.error';
import type { NamespacedSession } from '../session/session';
import type { CommitOutcome } from './debug-record';

/** What the commit can be judged by, read before it runs. */
interface BeforeCommit {
  cookies: number;
  regenerated: boolean;
  dirty: boolean;
  server: Pick<ServerSessionState, 'loaded' | 'ttlFresh' | 'id'> | undefined;
}

function setCookies(res: ServerResponse): string[] {
  const header = res.getHeader('set-cookie');
  return header === undefined ? [] : Array.isArray(header) ? header : [String(header)];
}

/** A Set-Cookie that makes the browser forget the cookie: an empty value or an expiry in the past. */
function clears(serialized: string, name: string): boolean {
  const value = serialized
    .slice(name.length + 1)
    .split(';', 1)[0]!
    .trim();
  return value === '' || /;\s*max-age=0\s*(;|$)/i.test(serialized);
}

function serverSide(session: NamespacedSession, factory: SessionFactory): BeforeCommit['server'] {
  if (!(factory instanceof ServerSessionFactory)) {
    return undefined;
  }
  const s = serverState(session);
  return { loaded: s.loaded, ttlFresh: s.ttlFresh, id: s.id };
}

/**
 * Watches one commit from the outside and names what it did, from the session's book-keeping
 * and the response's Set-Cookie headers before and after. Reads only; the commit runs as it
 * would without the panel.
 *
 * @internal
 */
export class CommitProbe {
  private readonly before: BeforeCommit;

  constructor(
    private readonly session: NamespacedSession,
    private readonly factory: SessionFactory,
    private readonly res: ServerResponse,
  ) {
    this.before = {
      cookies: setCookies(res).length,
      regenerated: session.state.regenerated,
      dirty: session.state.dirty,
      server: serverSide(session, factory),
    };
  }

  /** The outcomes once the commit has finished (`dataChanged`: the data differs from the load). */
  outcomes(dataChanged: boolean): CommitOutcome[] {
    const out = new Set<CommitOutcome>();
    const name = this.factory.cookieName;
    const added = setCookies(this.res)
      .slice(this.before.cookies)
      .filter((c) => c.startsWith(`${name}=`));
    const after = serverSide(this.session, this.factory);
    const server = this.before.server;
    if (this.before.regenerated || (server?.id !== undefined && after?.id !== server.id)) {
      out.add('regenerated');
    }
    if (server !== undefined && after !== undefined) {
      const ttlReset = !server.ttlFresh && after.ttlFresh && after.id !== undefined;
      // A changed session is rewritten in full (even when the new text equals the old one).
      const modified = this.before.dirty || dataChanged;
      if (
        after.loaded !== undefined &&
        (after.loaded !== server.loaded || (modified && ttlReset))
      ) {
        out.add('wrote');
      } else if (ttlReset) {
        out.add('refreshed-ttl');
      }
    }
    for (const cookie of added) {
      if (clears(cookie, name)) {
        out.add('cleared');
      } else if (server === undefined && dataChanged) {
        // A cookie-backed session's data travels in the cookie.
        out.add('wrote');
      } else {
        out.add('reissued-cookie');
      }
    }
    return [...out];
  }

  /** The outcome of a commit that threw. */
  static failure(error: unknown): CommitOutcome {
    return error instanceof SessionConflictError ||
      (error as { getStatus?: () => number }).getStatus?.() === 409
      ? 'conflict'
      : 'failed';
  }
}
