import type { Logger } from '@nestjs/common';
import type { SessionResponse } from '../factories/session-factory.interface';

type Held = 'writeHead' | 'write' | 'end' | 'flushHeaders';
type Fn = (...args: unknown[]) => unknown;

/** What the gate needs from the request's container. @internal */
export interface GateOwner {
  needsCommit(): boolean;
  commitBeforeHeaders(): Promise<void>;
}

const kGate = Symbol('sessionMultiGate');

/**
 * Holds the response's first header-sending call (writeHead, write, end, flushHeaders) until the
 * loaded sessions are committed, then replays the held calls in order. Every way a Nest response
 * leaves (a handler's return value, `@Res()`, a `StreamableFile`, an exception filter, a guard's
 * exception) goes through these calls, so the store write always lands before the client sees
 * the response (read-your-writes). Installed only when a session is loaded: a request that
 * touches no session pays nothing.
 *
 * When the commit fails, the held response is replaced by an error response (503 for a store
 * outage, else 500), since nothing has reached the client yet: a session write is never lost
 * silently. Cookies of namespaces whose commit succeeded are kept.
 *
 * @internal
 */
class Gate {
  holding = false;
  queue: [Held, unknown[]][] = [];
  // Own methods found on the response when the gate went in (another middleware's patch).
  own: Partial<Record<Held, Fn>> = {};
  constructor(
    readonly res: SessionResponse,
    readonly owner: GateOwner,
    readonly logger: Logger,
  ) {}

  restore(): void {
    const r = this.res as unknown as Record<string | symbol, unknown>;
    for (const name of ['flushHeaders', 'end', 'write', 'writeHead'] as const) {
      const own = this.own[name];
      if (own === undefined) {
        delete r[name];
      } else {
        r[name] = own;
      }
    }
    r[kGate] = undefined;
  }

  call(name: Held, args: unknown[]): unknown {
    return (this.res as unknown as Record<Held, Fn>)[name].apply(this.res, args);
  }

  hold(name: Held, args: unknown[]): unknown {
    if (!this.holding) {
      if (!this.owner.needsCommit()) {
        this.restore();
        return this.call(name, args);
      }
      this.holding = true;
      this.owner.commitBeforeHeaders().then(
        () => this.release(),
        (error: unknown) => this.fail(error),
      );
    }
    this.queue.push([name, args]);
    return name === 'write' ? true : this.res;
  }

  release(): void {
    this.restore();
    for (const [name, args] of this.queue.splice(0)) {
      this.call(name, args);
    }
  }

  fail(error: unknown): void {
    this.restore();
    this.queue.length = 0;
    const res = this.res;
    const status = (error as { getStatus?: () => number }).getStatus?.() ?? 500;
    this.logger.error(
      `Session commit failed before the response was sent; answering ${status} instead.`,
      error instanceof Error ? error.stack : String(error),
    );
    res.statusCode = status;
    res.removeHeader('content-length');
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.end(JSON.stringify({ statusCode: status, message: 'Session could not be saved.' }));
  }
}

function gateOf(res: unknown): Gate {
  return (res as Record<symbol, Gate>)[kGate]!;
}

// Shared functions (no closures per request); the gate's state hangs off the response.
const HOLDERS: Record<Held, Fn> = {
  writeHead(this: unknown, ...args: unknown[]) {
    return gateOf(this).hold('writeHead', args);
  },
  write(this: unknown, ...args: unknown[]) {
    return gateOf(this).hold('write', args);
  },
  end(this: unknown, ...args: unknown[]) {
    return gateOf(this).hold('end', args);
  },
  flushHeaders(this: unknown, ...args: unknown[]) {
    return gateOf(this).hold('flushHeaders', args);
  },
};

/** Puts the gate on a response. @internal */
export function installResponseGate(res: SessionResponse, owner: GateOwner, logger: Logger): void {
  const gate = new Gate(res, owner, logger);
  const r = res as unknown as Record<string | symbol, unknown>;
  for (const name of ['writeHead', 'write', 'end', 'flushHeaders'] as const) {
    if (Object.hasOwn(r, name)) {
      gate.own[name] = r[name] as Fn;
    }
  }
  r[kGate] = gate;
  r.writeHead = HOLDERS.writeHead;
  r.write = HOLDERS.write;
  r.end = HOLDERS.end;
  r.flushHeaders = HOLDERS.flushHeaders;
}
