import type { Logger } from '@nestjs/common';
import type { SessionResponse } from '../factories/session-factory.interface';

type Held = 'writeHead' | 'write' | 'end' | 'flushHeaders';
type Fn = (...args: unknown[]) => unknown;

const HELD: readonly Held[] = ['writeHead', 'write', 'end', 'flushHeaders'];

/** What the gate needs from the request's container. @internal */
export interface GateOwner {
  needsCommit(): boolean;
  /**
   * Commits what the response must carry. Returns a promise only when store calls are in flight;
   * undefined means everything was decided synchronously and the response may go out now.
   */
  commitBeforeHeaders(): Promise<void> | undefined;
}

const kGate = Symbol('sessionMultiGate');
/**
 * Commits after the first for changes made while the response was held. A session that keeps
 * changing during every commit (a factory reading it after an await) is then let go; the
 * container's late check still reports what was not saved.
 */
const MAX_RECOMMITS = 2;
/**
 * On a gated response prototype: the methods the gate's wrappers stand in for. Held calls are
 * replayed through these, never through `res[name]`, which may be another library's own
 * per-request wrapper (express-session, compression) that already ran once for the call.
 */
const kPassThrough = Symbol('sessionMultiPassThrough');

/**
 * Holds the response's first header-sending call (writeHead, write, end, flushHeaders) until the
 * loaded sessions are committed, then replays the held calls in order. Every way a Nest response
 * leaves (a handler's return value, `@Res()`, a `StreamableFile`, an exception filter, a guard's
 * exception) goes through these calls, so the store write always lands before the client sees
 * the response (read-your-writes). Armed only when a session is loaded: a request that touches
 * no session pays nothing. When every commit is decided synchronously (a read that writes
 * nothing, a cookie session), the first call goes straight through: nothing is held.
 *
 * When the commit fails, the held response is replaced by an error response (503 for a store
 * outage, else 500), since nothing has reached the client yet: a session write is never lost
 * silently. Cookies of namespaces whose commit succeeded are kept.
 *
 * @internal
 */
class Gate {
  armed = true;
  holding = false;
  /** Extra commits for changes made while the response was held (bounded, see release()). */
  recommits = 0;
  queue: [Held, unknown[]][] | undefined;
  /** Own-property mode only: own methods found on the response when the gate went in. */
  own: Partial<Record<Held, Fn>> | undefined;

  constructor(
    readonly res: SessionResponse,
    readonly owner: GateOwner,
    readonly logger: Logger,
  ) {}

  restore(): void {
    this.armed = false;
    const own = this.own;
    if (own === undefined) {
      // Prototype mode: the shared methods pass calls through once the gate is disarmed.
      return;
    }
    const r = this.res as unknown as Record<string | symbol, unknown>;
    for (const name of HELD) {
      const previous = own[name];
      if (previous === undefined) {
        delete r[name];
      } else {
        r[name] = previous;
      }
    }
  }

  /** Makes the held call for real. */
  call(name: Held, args: unknown[]): unknown {
    const r = this.res as unknown as Record<string | symbol, unknown>;
    const target =
      this.own === undefined ? (r[kPassThrough] as Record<Held, Fn>)[name] : (r[name] as Fn);
    return target.apply(this.res, args);
  }

  /**
   * Called by an armed gate's first header-sending call (and every call while holding): commits,
   * and tells whether the call must wait. False means everything was decided synchronously (a
   * read that writes nothing, a cookie session): the gate is then disarmed and the caller makes
   * the call at once, with its arguments as they came (no copy, no extra frame).
   */
  mustHold(): boolean {
    if (this.holding) {
      return true;
    }
    if (!this.owner.needsCommit()) {
      this.restore();
      return false;
    }
    const pending = this.commit();
    if (pending === undefined) {
      this.restore();
      return false;
    }
    this.holding = true;
    this.queue = [];
    this.releaseAfter(pending);
    return true;
  }

  /** Queues a call that {@link mustHold} said must wait; replayed in order by release(). */
  hold(name: Held, args: unknown[]): unknown {
    this.queue!.push([name, args]);
    return name === 'write' ? true : this.res;
  }

  /**
   * The owner's commit. A synchronous throw is answered like an asynchronous failure: the held
   * calls are dropped, then the error response goes out (after the caller's current call).
   */
  private commit(): Promise<void> | undefined {
    try {
      return this.owner.commitBeforeHeaders();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private releaseAfter(pending: Promise<void>): void {
    pending.then(
      () => this.release(),
      (error: unknown) => this.fail(error),
    );
  }

  release(): void {
    // A session loaded or changed while the response was held is committed too, before the
    // headers go (it would otherwise leave unsaved, or only with a late warning).
    if (this.recommits < MAX_RECOMMITS && this.owner.needsCommit()) {
      this.recommits++;
      const pending = this.commit();
      if (pending !== undefined) {
        this.releaseAfter(pending);
        return;
      }
    }
    this.restore();
    for (const [name, args] of this.queue!.splice(0)) {
      this.call(name, args);
    }
  }

  fail(error: unknown): void {
    this.restore();
    this.queue!.length = 0;
    const res = this.res;
    const status = (error as { getStatus?: () => number }).getStatus?.() ?? 500;
    this.logger.error(
      `Session commit failed before the response was sent; answering ${status} instead.`,
      error instanceof Error ? error.stack : String(error),
    );
    res.statusCode = status;
    res.removeHeader('content-length');
    res.setHeader('content-type', 'application/json; charset=utf-8');
    // Through the same path as a replayed call: a wrapper above the gate already ran for the
    // call that was held, and may refuse a second one.
    this.call('end', [
      JSON.stringify({ statusCode: status, message: 'Session could not be saved.' }),
    ]);
  }
}

function gateOf(res: unknown): Gate {
  return (res as Record<symbol, Gate>)[kGate]!;
}

function holdOrCall(gate: Gate, name: Held, args: unknown[]): unknown {
  return gate.mustHold() ? gate.hold(name, args) : gate.call(name, args);
}

// Own-property mode: shared functions (no closures per request); the gate hangs off the response.
const HOLDERS: Record<Held, Fn> = {
  writeHead(this: unknown, ...args: unknown[]) {
    return holdOrCall(gateOf(this), 'writeHead', args);
  },
  write(this: unknown, ...args: unknown[]) {
    return holdOrCall(gateOf(this), 'write', args);
  },
  end(this: unknown, ...args: unknown[]) {
    return holdOrCall(gateOf(this), 'end', args);
  },
  flushHeaders(this: unknown, ...args: unknown[]) {
    return holdOrCall(gateOf(this), 'flushHeaders', args);
  },
};

/**
 * Puts the gate's methods once on a response prototype (Express's `app.response`): each checks
 * for an armed gate and otherwise calls the method it replaced. Arming a gate is then one
 * property store per request, instead of four own methods added to (and deleted from) every
 * response, which also sends V8's response objects into slow dictionary mode.
 *
 * @internal
 */
export function gateResponsePrototype(prototype: object): void {
  const p = prototype as Record<string | symbol, unknown>;
  if (Object.hasOwn(p, kPassThrough)) {
    return;
  }
  const parent = Object.getPrototypeOf(p) as Record<string, unknown>;
  const passThrough = {} as Record<Held, Fn>;
  for (const name of HELD) {
    // A method of the prototype itself is kept; an inherited one is looked up at call time, so a
    // later patch of http.ServerResponse.prototype (an APM agent) still takes effect.
    const own = Object.hasOwn(p, name) ? (p[name] as Fn) : undefined;
    passThrough[name] =
      own ??
      function (this: unknown, ...args: unknown[]): unknown {
        return (parent[name] as Fn).apply(this, args);
      };
    // Every response of the app goes through these, gated or not (a route that touches no
    // session too), so the pass-through is one frame that hands `arguments` on as they came,
    // without the array a rest parameter would allocate on each call.
    /* eslint-disable prefer-rest-params */
    const gated = function (this: Record<symbol, Gate | undefined>): unknown {
      const gate = this[kGate];
      if (gate !== undefined && gate.armed && gate.mustHold()) {
        return gate.hold(name, Array.from(arguments));
      }
      return (own ?? (parent[name] as Fn)).apply(this, arguments as unknown as unknown[]);
    };
    /* eslint-enable prefer-rest-params */
    Object.defineProperty(p, name, { configurable: true, writable: true, value: gated });
  }
  Object.defineProperty(p, kPassThrough, { value: passThrough });
}

/** Arms the gate on a response: through its prototype's methods when gated, else own methods. @internal */
export function installResponseGate(res: SessionResponse, owner: GateOwner, logger: Logger): void {
  const gate = new Gate(res, owner, logger);
  const r = res as unknown as Record<string | symbol, unknown>;
  r[kGate] = gate;
  if (r[kPassThrough] !== undefined) {
    return;
  }
  gate.own = {};
  for (const name of HELD) {
    if (Object.hasOwn(r, name)) {
      gate.own[name] = r[name] as Fn;
    }
    r[name] = HOLDERS[name];
  }
}
