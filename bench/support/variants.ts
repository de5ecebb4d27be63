/**
 * The benchmark's variants and routes, shared by the parent (load generator) and the child
 * processes (one Nest app per variant).
 */

/** Every variant, in table order. */
export const VARIANT_NAMES = [
  'bare',
  'bare-intercepted',
  'floor-redis-read',
  'floor-redis-write',
  'floor-redis-read-intercepted',
  'floor-redis-write-intercepted',
  'ours-signed',
  'cookie-session',
  'ours-redis',
  'ours-redis-trigger',
  'ours-redis-ttl',
  'ours-redis-trigger-ioredis',
  'express-session-redis',
  'express-session-redis-rolling',
  'ours-multi',
] as const;

export type VariantName = (typeof VARIANT_NAMES)[number];

export interface VariantInfo {
  name: VariantName;
  /** One line for the README and the results file. */
  description: string;
  /** The variant each row is compared with ("vs peer"), from the same run. */
  peer?: VariantName;
  /** Talks to Redis: its commands per request are counted. */
  redis: boolean;
  /**
   * No session library (bare and the Redis floors): it sets no cookie, so in a loaded-together
   * pair its client sends the cookies the other app set, and both apps parse identical requests.
   */
  floor?: true;
  /** The routes it is measured on in the table (default: every route). */
  routes?: readonly Route[];
}

export const VARIANTS: Record<VariantName, VariantInfo> = {
  bare: {
    name: 'bare',
    description: 'No session middleware at all (the floor).',
    redis: false,
    floor: true,
  },
  'bare-intercepted': {
    name: 'bare-intercepted',
    description:
      "bare with a no-op interceptor and a custom parameter decorator on /read: what Nest's interceptor and parameter machinery cost a route, which every session route carries (SessionCommitInterceptor, @Session()).",
    redis: false,
    floor: true,
    routes: ['/read'],
  },
  'floor-redis-read': {
    name: 'floor-redis-read',
    description:
      'bare plus one GET of a session-sized record per /read over the node-redis 5 client of ours-redis-trigger: the floor of a Redis session on /read.',
    redis: true,
    floor: true,
    routes: ['/read'],
  },
  'floor-redis-write': {
    name: 'floor-redis-write',
    description:
      'bare plus one GET then one SET (EX 1200) of a session-sized record per /write over the same client: the floor of a Redis session on /write.',
    redis: true,
    floor: true,
    routes: ['/write'],
  },
  'floor-redis-read-intercepted': {
    name: 'floor-redis-read-intercepted',
    description:
      "floor-redis-read with a no-op interceptor and a custom parameter decorator on /read: the Redis floor plus Nest's machinery of a session route.",
    redis: true,
    floor: true,
    routes: ['/read'],
  },
  'floor-redis-write-intercepted': {
    name: 'floor-redis-write-intercepted',
    description:
      "floor-redis-write with a no-op interceptor and a custom parameter decorator on /write: the Redis floor plus Nest's machinery of a session route.",
    redis: true,
    floor: true,
    routes: ['/write'],
  },
  'ours-signed': {
    name: 'ours-signed',
    description: 'SignedCookieSessionFactory, defaults (HMAC-SHA512, reissueTime 120 s).',
    peer: 'cookie-session',
    redis: false,
  },
  'cookie-session': {
    name: 'cookie-session',
    description: 'cookie-session 2 (keygrip HMAC-SHA1, two cookies), mounted with app.use().',
    redis: false,
  },
  'ours-redis': {
    name: 'ours-redis',
    description:
      'RedisSessionFactory, defaults, over a node-redis 5 client (the client connect-redis uses below).',
    peer: 'express-session-redis',
    redis: true,
  },
  'ours-redis-trigger': {
    name: 'ours-redis-trigger',
    description:
      'RedisSessionFactory with timeoutTrigger (timeout 1200 s, trigger 600 s), over a node-redis 5 client.',
    peer: 'express-session-redis',
    redis: true,
  },
  'ours-redis-ttl': {
    name: 'ours-redis-ttl',
    description:
      'RedisSessionFactory in TTL refresh mode (sliding store TTL on every read), over a node-redis 5 client.',
    peer: 'express-session-redis-rolling',
    redis: true,
  },
  'ours-redis-trigger-ioredis': {
    name: 'ours-redis-trigger-ioredis',
    description:
      'The same as ours-redis-trigger over the ioredis 6 connection the store opens itself (redis: { url }): what the client library costs.',
    peer: 'express-session-redis',
    redis: true,
  },
  'express-session-redis': {
    name: 'express-session-redis',
    description:
      'express-session 1 + connect-redis 9 (redis 5 client), resave: false, saveUninitialized: false.',
    redis: true,
  },
  'express-session-redis-rolling': {
    name: 'express-session-redis-rolling',
    description: 'The same with rolling: true (cookie re-sent on every response).',
    redis: true,
  },
  'ours-multi': {
    name: 'ours-multi',
    description:
      'Three namespaces (two signed-cookie, one Redis), all three cookies sent; /read and /write touch one signed namespace.',
    peer: 'ours-signed',
    redis: true,
  },
};

export const ROUTES = ['/none', '/read', '/write'] as const;
export type Route = (typeof ROUTES)[number];

/** The routes `variant` is measured on in the table. */
export function routesOf(variant: VariantName): readonly Route[] {
  return VARIANTS[variant].routes ?? ROUTES;
}

export function routeMethod(route: Route): 'GET' | 'POST' {
  return route === '/write' ? 'POST' : 'GET';
}

/** Benchmark-only secrets (48 bytes); never used anywhere else. */
export const BENCH_SECRET = 'bench-secret-0123456789abcdef0123456789abcdef0123';
export const BENCH_SECRET_2 = 'bench-secret-2-0123456789abcdef0123456789abcdef01';
export const BENCH_SECRET_3 = 'bench-secret-3-0123456789abcdef0123456789abcdef01';

/** What the parent tells a child process (environment variables). */
export const ENV_VARIANT = 'BENCH_VARIANT';
export const ENV_REDIS_URL = 'BENCH_REDIS_URL';

/** IPC messages between the parent and a child. */
export type ChildMessage =
  | { type: 'listening'; port: number }
  | { type: 'error'; message: string }
  /** The child's monotonic clock in microseconds (the clock of its --cpu-prof samples). */
  | { type: 'mark'; micros: number }
  /** CPU time the child has used so far (user + system, all threads), in microseconds. */
  | { type: 'cpu'; micros: number };
export type ParentMessage = { type: 'stop' } | { type: 'mark' } | { type: 'cpu' };
