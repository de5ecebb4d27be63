import type { Logger } from '@nestjs/common';
import type { SessionResponse } from '../factories/session-factory.interface';

type Held = 'writeHead' | 'write' | 'end' | 'flushHeaders';
const HELD: readonly Held[] = ['writeHead', 'write', 'end', 'flushHeaders'];

/** What the gate needs from the request's container. @internal */
export interface GateOwner {
  needsCommit(): boolean;
  commitBeforeHeaders(): Promise<void>;
}

/**
 * Holds the response's first header-sending call (writeHead, write, end, flushHeaders) until the
 * loaded sessions are committed, then replays the held calls in order. This is what makes
 * `@Res()` handlers, streams, guards' exceptions and exception filters commit correctly: they all
 * bypass the interceptor's success path. Installed only when a session is loaded, so requests that
 * touch no session pay nothing.
 *
 * When the commit fails, the held response is replaced by an error response, since nothing has
 * reached the client yet (a session write must not be lost silently).
 *
 * @internal
 */
export function installResponseGate(res: SessionResponse, owner: GateOwner, logger: Logger): void {
  const original = new Map<Held, (...args: unknown[]) => unknown>();
  for (const name of HELD) {
    original.set(name, (res as unknown as Record<Held, (...args: unknown[]) => unknown>)[name]);
  }
  const restore = (): void => {
    for (const [name, fn] of original) {
      (res as unknown as Record<Held, unknown>)[name] = fn;
    }
  };
  const call = (name: Held, args: unknown[]): unknown => original.get(name)!.apply(res, args);
  const queue: [Held, unknown[]][] = [];
  let holding = false;

  const release = (): void => {
    restore();
    for (const [name, args] of queue.splice(0)) {
      call(name, args);
    }
  };

  const fail = (error: unknown): void => {
    restore();
    queue.length = 0;
    const status = (error as { getStatus?: () => number }).getStatus?.() ?? 500;
    logger.error(
      `Session commit failed before the response was sent; answering ${status} instead.`,
      error instanceof Error ? error.stack : String(error),
    );
    res.statusCode = status;
    res.removeHeader('content-length');
    res.removeHeader('set-cookie');
    res.setHeader('content-type', 'application/json; charset=utf-8');
    call('end', [JSON.stringify({ statusCode: status, message: 'Session could not be saved.' })]);
  };

  for (const name of HELD) {
    (res as unknown as Record<Held, unknown>)[name] = (...args: unknown[]): unknown => {
      if (!holding) {
        if (!owner.needsCommit()) {
          restore();
          return call(name, args);
        }
        holding = true;
        owner.commitBeforeHeaders().then(release, fail);
      }
      queue.push([name, args]);
      return name === 'write' ? true : res;
    };
  }
}
