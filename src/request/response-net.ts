import type { ServerResponse } from 'node:http';

/** What the net needs from the request's sessions. @internal */
export interface NetOwner {
  /** A loaded session has something the response may need to carry. */
  needsCommit(): boolean;
  /**
   * Commits what the response must carry: undefined when it was decided synchronously (the
   * response may go now), a promise while store calls are in flight.
   */
  commitBeforeHeaders(): Promise<void> | undefined;
  /** The commit failed before anything was sent: answer with this error instead. */
  answerFailure(res: ServerResponse, error: unknown): void;
  /** A call arrived after the response had ended and was dropped (logged once). */
  warnDropped(name: string): void;
}

type Method = 'writeHead' | 'write' | 'end' | 'flushHeaders';
type HeaderMethod = 'setHeader' | 'appendHeader' | 'removeHeader';
type Fn = (...args: unknown[]) => unknown;

const SENDING: readonly Method[] = ['writeHead', 'write', 'end', 'flushHeaders'];
const HEADERS: readonly HeaderMethod[] = ['setHeader', 'appendHeader', 'removeHeader'];
/** Commits for changes made while the response was held, before the net lets go anyway. */
const MAX_RECOMMITS = 2;

const kNet = Symbol('sessionMultiNet');

function headersSentError(): Error {
  const error = new Error('Cannot set headers after they are sent to the client') as Error & {
    code: string;
  };
  error.code = 'ERR_HTTP_HEADERS_SENT';
  return error;
}

/**
 * The safety net of one response: the exits the commit interceptor does not see (`@Res()`,
 * streams, `StreamableFile`, exceptions from guards and pipes, sessions loaded in middleware)
 * still commit before the first byte leaves. Armed by the request's container when the first
 * session loads, as own properties of that one response: nothing of a shared prototype changes,
 * and a response that loads no session never meets it.
 *
 * The first header-sending call (`writeHead`, `write`, `end`, `flushHeaders`) commits. A commit
 * decided synchronously lets the call through and disarms the net. A commit with store calls in
 * flight holds the call and every later one until the store answers, then replays them in order
 * through the methods the response had before. While held the response reports itself as Node
 * would after those calls: `headersSent` is true, `writableEnded` is true once an `end` came, a
 * header change throws `ERR_HTTP_HEADERS_SENT`, and `write()` returns false with `'drain'` on
 * release, so a piped stream waits instead of queueing without bound. Calls after an accepted
 * `end` are dropped with one warning, never replayed.
 *
 * @internal
 */
export class ResponseNet {
  private holding = false;
  private claimed = false;
  private ended = false;
  private writesRefused = false;
  private recommits = 0;
  private queue: [Method, unknown[]][] = [];
  /** Own methods the response had before the net (another library's per-response wrappers). */
  private readonly previous = new Map<string, PropertyDescriptor>();
  /** Header changes the commit itself makes while the response is held. */
  private internalHeaders = 0;

  private constructor(
    private readonly res: ServerResponse,
    private readonly owner: NetOwner,
  ) {}

  /** Arms the net on `res` (once per response). */
  static arm(res: ServerResponse, owner: NetOwner): void {
    const carrier = res as unknown as Record<symbol, ResponseNet | undefined>;
    if (carrier[kNet] !== undefined || res.headersSent) {
      return;
    }
    const net = new ResponseNet(res, owner);
    carrier[kNet] = net;
    net.install();
  }

  /**
   * Whether the response's headers have really left. While the net holds the response it reports
   * `headersSent` as true to the application, but the commit can still add its cookies.
   */
  static headersSent(res: ServerResponse): boolean {
    const net = (res as unknown as Record<symbol, ResponseNet | undefined>)[kNet];
    return net !== undefined && net.holding ? false : res.headersSent;
  }

  /**
   * Runs `change` (the commit's own `Set-Cookie`/`Vary` writes) even while the response is held.
   */
  static withHeaders(res: ServerResponse, change: () => void): void {
    const net = (res as unknown as Record<symbol, ResponseNet | undefined>)[kNet];
    if (net === undefined) {
      change();
      return;
    }
    net.internalHeaders++;
    try {
      change();
    } finally {
      net.internalHeaders--;
    }
  }

  private install(): void {
    const r = this.res as unknown as Record<string, unknown>;
    for (const name of SENDING) {
      if (Object.hasOwn(r, name)) {
        this.previous.set(name, Object.getOwnPropertyDescriptor(r, name)!);
      }
      r[name] = (...args: unknown[]): unknown => this.sending(name, args);
    }
  }

  /**
   * Hands the response back: each sending method becomes again the one it had before the net.
   * Assigned, never deleted, because deleting properties turns the response into a slow
   * dictionary-mode object for the rest of its life (every later access by Node pays for it).
   */
  private disarm(): void {
    const r = this.res as unknown as Record<string, unknown>;
    for (const name of SENDING) {
      r[name] = this.original(name);
    }
  }

  /** The method the response had before the net: its own wrapper, or the prototype's. */
  private original(name: string): Fn {
    const own = this.previous.get(name);
    if (own !== undefined && typeof own.value === 'function') {
      return own.value as Fn;
    }
    const proto = Object.getPrototypeOf(this.res) as Record<string, unknown>;
    return proto[name] as Fn;
  }

  private sending(name: Method, args: unknown[]): unknown {
    if (this.ended) {
      this.owner.warnDropped(name);
      // What Node answers for a write after end, without the 'error' event nobody listens to.
      return name === 'write' ? false : this.res;
    }
    if (!this.holding) {
      const pending = this.commit();
      if (pending === undefined) {
        this.disarm();
        return this.original(name).apply(this.res, this.withSessionHeaders(name, args));
      }
      this.hold(pending);
    }
    return this.enqueue(name, args);
  }

  /** The commit, or undefined when nothing needs to wait. A synchronous throw fails like a rejection. */
  private commit(): Promise<void> | undefined {
    if (!this.owner.needsCommit()) {
      return undefined;
    }
    try {
      return this.owner.commitBeforeHeaders();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private hold(pending: Promise<void>): void {
    this.holding = true;
    this.claimed = true;
    const r = this.res as unknown as Record<string, unknown>;
    const proto = Object.getPrototypeOf(this.res) as object;
    // Left in place after the release (see disarm()): they check whether the net still holds.
    for (const name of HEADERS) {
      const own = Object.getOwnPropertyDescriptor(r, name);
      const before = typeof own?.value === 'function' ? (own.value as Fn) : undefined;
      r[name] = (...args: unknown[]): unknown => {
        if (this.holding && this.internalHeaders === 0) {
          throw headersSentError();
        }
        const method = before ?? ((proto as Record<string, unknown>)[name] as Fn);
        return method.apply(this.res, args);
      };
    }
    for (const [name, held] of [
      ['headersSent', () => this.claimed],
      ['writableEnded', () => this.ended],
    ] as const) {
      Object.defineProperty(r, name, {
        configurable: true,
        // Node's own getter, read through the prototype with the response as receiver.
        get: (): unknown => (this.holding ? held() : Reflect.get(proto, name, this.res)),
      });
    }
    this.waitFor(pending);
  }

  private waitFor(pending: Promise<void>): void {
    pending.then(
      () => this.release(),
      (error: unknown) => this.fail(error),
    );
  }

  private enqueue(name: Method, args: unknown[]): unknown {
    this.queue.push([name, args]);
    if (name === 'end') {
      this.ended = true;
    }
    if (name === 'write') {
      this.writesRefused = true;
      return false;
    }
    return this.res;
  }

  private release(): void {
    if (!this.holding) {
      return;
    }
    // A session loaded or changed while the response was held is committed before it goes.
    if (this.recommits < MAX_RECOMMITS) {
      const pending = this.commit();
      if (pending !== undefined) {
        this.recommits++;
        this.waitFor(pending);
        return;
      }
    }
    this.holding = false;
    this.disarm();
    let lastWrite: unknown = true;
    for (const [name, args] of this.queue.splice(0)) {
      const result = this.original(name).apply(this.res, this.withSessionHeaders(name, args));
      if (name === 'write') {
        lastWrite = result;
      }
    }
    // A writer told to wait resumes now, or on the socket's own 'drain' if it is full.
    if (this.writesRefused && lastWrite !== false && !this.ended) {
      this.res.emit('drain');
    }
  }

  /**
   * `writeHead(status, [message], headers)` replaces same-named headers set on the response, and
   * Fastify sends every header of its reply that way: the session's `Set-Cookie` values are added
   * to the call's own and the response's `Vary` tokens (`Cookie`, a session header) to its
   * `Vary`, so neither is lost.
   */
  private withSessionHeaders(name: Method, args: unknown[]): unknown[] {
    if (name !== 'writeHead') {
      return args;
    }
    const index = args.findIndex((a, i) => i > 0 && typeof a === 'object' && a !== null);
    if (index < 0 || Array.isArray(args[index])) {
      return args;
    }
    const given = args[index] as Record<string, unknown>;
    const keys = Object.keys(given);
    const cookieKey = keys.find((k) => k.toLowerCase() === 'set-cookie');
    const varyKey = keys.find((k) => k.toLowerCase() === 'vary');
    const ours = this.res.getHeader('set-cookie');
    const headers = { ...given };
    if (cookieKey !== undefined && ours !== undefined) {
      const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : [String(v)]);
      headers[cookieKey] = [
        ...list(given[cookieKey]),
        ...list(ours).filter((c) => !list(given[cookieKey]).includes(c)),
      ];
    }
    if (varyKey !== undefined && this.res.hasHeader('vary')) {
      headers[varyKey] = mergedVary(String(given[varyKey]), String(this.res.getHeader('vary')));
    }
    const copy = [...args];
    copy[index] = headers;
    return copy;
  }

  private fail(error: unknown): void {
    this.holding = false;
    this.disarm();
    this.queue.length = 0;
    this.owner.answerFailure(this.res, error);
  }
}

/** `given` plus the tokens of `ours` it lacks (`*` already covers everything). */
function mergedVary(given: string, ours: string): string {
  const tokens = (v: string): string[] =>
    v
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t !== '');
  const present = tokens(given).map((t) => t.toLowerCase());
  if (present.includes('*')) {
    return given;
  }
  const missing = tokens(ours).filter((t) => !present.includes(t.toLowerCase()));
  if (missing.length === 0) {
    return given;
  }
  return present.length === 0 ? missing.join(', ') : [given, ...missing].join(', ');
}
