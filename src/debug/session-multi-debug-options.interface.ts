import type { IncomingMessage } from 'node:http';

/**
 * Which namespaces a record shows: `'accessed'` only those the request asked for; `'all'` also
 * the others, as far as they can be seen without loading them (cookie-backed ones decoded
 * read-only, server-side ones as "cookie present" and a fingerprint; never a store call).
 *
 * @publicApi
 */
export type DebugCapture = 'accessed' | 'all';

/**
 * Options of `SessionMultiDebugModule.forRoot()`.
 *
 * @publicApi
 */
export interface SessionMultiDebugOptions {
  /**
   * Turns the panel on. Required, so that turning it on is always a visible decision
   * (e.g. `enabled: process.env.NODE_ENV === 'development'`). When false nothing is recorded
   * and the panel's path answers 404.
   */
  enabled: boolean;
  /**
   * Where the panel is served: the HTML list at `path`, one request at `path/requests/:id`,
   * JSON at `path/api/requests` and `path/api/requests/:id`.
   * @default '/_session_multi'
   */
  path?: string;
  /**
   * Decides per request whether the caller may see the panel (e.g. an admin check over the
   * request's headers). Called after the address check; both must pass. Required in production.
   */
  authorize?: (req: IncomingMessage) => boolean | Promise<boolean>;
  /**
   * Client addresses (IPv4 or IPv6, single or `address/prefix`) allowed to see the panel. The
   * client address is the socket's unless the application trusts a proxy (Express
   * `trust proxy`, Fastify `trustProxy`).
   * @default ['127.0.0.0/8', '::1'] (loopback)
   */
  allowedIps?: string[];
  /**
   * How many requests are kept (newest first); older ones drop out.
   * @default 50
   */
  historySize?: number;
  /**
   * Key fragments whose values are masked, added to the defaults (`password`, `secret`,
   * `token`, `csrf`, `auth`, `key`). Matching is case-insensitive, by substring, at any depth.
   * @default []
   */
  redact?: string[];
  /** @default 'accessed' */
  capture?: DebugCapture;
  /**
   * Allows `enabled: true` when `NODE_ENV` is `production`; an `authorize` function is then
   * required too.
   * @default false
   */
  allowInProduction?: boolean;
}
