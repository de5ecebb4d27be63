import autocannon from 'autocannon';
import { routeMethod, type Route } from './variants';

/** autocannon's connection count for every run (issue 4). */
export const CONNECTIONS = 10;

export interface LoadOptions {
  port: number;
  route: Route;
  /** The path requested, when the route is mounted under a prefix (default: `route`). */
  path?: string;
  /** Cookie header sent with every request ('' for none). */
  cookie: string;
  /** Seconds to run; ignored when `amount` is set. */
  duration?: number;
  /** Exact number of requests to send (for the Redis command counts). */
  amount?: number;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  /** Completed 2xx responses per second over the whole run. */
  rps: number;
  /** Latency percentiles in milliseconds, from every 2xx response (sub-millisecond resolution). */
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  /** Server CPU time (user + system, all threads of the app's process) per request, in µs. */
  cpuPerRequest?: number;
  /** Instructions the app's process executed per request (user + kernel), when perf counts. */
  instructionsPerRequest?: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) {
    return Number.NaN;
  }
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

/**
 * Runs autocannon against one route of a child app. Latencies are taken from autocannon's
 * `response` events rather than its histogram, which rounds to whole milliseconds.
 */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `http://127.0.0.1:${options.port}${options.path ?? options.route}`,
        method: routeMethod(options.route),
        connections: CONNECTIONS,
        pipelining: 1,
        headers: options.cookie === '' ? {} : { cookie: options.cookie },
        ...(options.amount !== undefined
          ? { amount: options.amount }
          : { duration: options.duration ?? 1 }),
      },
      (error: unknown, result: autocannon.Result) => {
        if (error) {
          reject(
            error instanceof Error
              ? error
              : new Error(`autocannon failed: ${JSON.stringify(error)}`),
          );
          return;
        }
        const sorted = Float64Array.from(latencies).sort();
        resolve({
          requests: latencies.length,
          seconds: result.duration,
          rps: latencies.length / result.duration,
          p50: percentile(sorted, 50),
          p99: percentile(sorted, 99),
          non2xx: result.non2xx,
          errors: result.errors,
        });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) {
        latencies.push(responseTime);
      }
    });
  });
}

/**
 * Creates a session on a child app (POST /prime, not timed) and returns the Cookie header that
 * carries it, so the timed run reuses one existing session as a returning visitor would.
 */
export async function primeSession(port: number, path = '/prime'): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST' });
  if (response.status !== 200) {
    throw new Error(`POST ${path} on port ${port} answered ${response.status}.`);
  }
  await response.arrayBuffer();
  return response.headers
    .getSetCookie()
    .map((c) => c.slice(0, c.indexOf(';') === -1 ? c.length : c.indexOf(';')))
    .join('; ');
}

/**
 * Seconds a primed session is reused before a new one is created: under the signed cookie's
 * default re-issue age (120 s with the 1200 s timeout), past which a client that keeps sending
 * the old cookie would get a re-issued cookie on every response, and far under the trigger
 * window of the Redis variants (600 s).
 */
export const SESSION_REUSE_SECONDS = 90;

/**
 * Each app's session, created by one `POST /prime` and reused by every run until it is
 * {@link SESSION_REUSE_SECONDS} old. Every app is primed, bare too (it answers without a cookie),
 * so all apps receive the same requests.
 *
 * Priming is kept out of the timed runs because it is not free for the app: it is a request on
 * a new connection from another client, which sends V8 back to unoptimised code in about 15
 * functions of Node's HTTP path in any app (`--trace-deopt`; 38 in ours before the
 * `secure: 'auto'` fix), and that takes longer to re-optimise than a 0.3 s warm-up. A fresh session before every run charged
 * that to every session variant and never to bare (bench/README.md, "Sixth pass").
 */
export class PrimedSessions {
  private readonly sessions = new Map<number, { cookie: string; at: number }>();

  /** The app's Cookie header, and whether it was primed just now (give it a longer warm-up). */
  async cookieFor(app: { port: number }): Promise<{ cookie: string; primed: boolean }> {
    const kept = this.sessions.get(app.port);
    if (kept !== undefined && Date.now() - kept.at < SESSION_REUSE_SECONDS * 1000) {
      return { cookie: kept.cookie, primed: false };
    }
    const cookie = await primeSession(app.port);
    this.sessions.set(app.port, { cookie, at: Date.now() });
    return { cookie, primed: true };
  }
}

/** Refuses a run that got any non-2xx answer or error: its req/s would not mean anything. */
export function assertClean(label: string, route: Route, result: LoadResult): void {
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(
      `Variant "${label}" ${route}: ${result.non2xx} non-2xx responses and ${result.errors} errors.`,
    );
  }
}

/** GET /read with the cookie: the counter the app sees (a check that the cookie works). */
export async function readCounter(port: number, cookie: string): Promise<unknown> {
  const response = await fetch(`http://127.0.0.1:${port}/read`, {
    headers: cookie === '' ? {} : { cookie },
  });
  const body = (await response.json()) as { counter?: unknown };
  return body.counter;
}
