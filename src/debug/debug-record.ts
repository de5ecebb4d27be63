/**
 * What one commit did for a namespace. No outcome at all means the commit had nothing to do.
 *
 * @publicApi
 */
export type CommitOutcome =
  'wrote' | 'refreshed-ttl' | 'reissued-cookie' | 'cleared' | 'regenerated' | 'conflict' | 'failed';

/** Whether the namespace was mounted on the request. @publicApi */
export type MountResult = 'mounted' | 'refused-by-discriminator' | 'not-asked';

/**
 * One namespace in one recorded request. Data is redacted and bounded; the session id appears
 * only as a keyed fingerprint.
 *
 * @publicApi
 */
export interface NamespaceRecord {
  namespace: string;
  /** The factory's class, e.g. `SignedCookieSessionFactory`. */
  factory: string;
  /** The store's name for server-side namespaces, `'cookie'` for cookie-backed ones. */
  store: string;
  /** The namespace's cookie name; empty when its id travels in a header or the query string. */
  cookieName: string;
  /** Where the id or data travels: `cookie "ui"`, `header "X-Session-Id"`, `query parameter "sid"`. */
  carrier: string;
  /** Whether the namespace has a discriminator. */
  hasDiscriminator: boolean;
  mount: MountResult;
  /** The request asked for the namespace (`get(ns)`, `@Session(ns)`). */
  touched: boolean;
  /** The request carried the namespace's cookie (or its id header or query parameter). */
  cookiePresent: boolean;
  /** Why an incoming cookie was not accepted, or null. */
  invalidReason: string | null;
  /** Fingerprint of the id the request came with (server-side), else of the cookie value. */
  idIn: string | null;
  /** Fingerprint of the id after the commit (server-side). */
  idOut: string | null;
  /** Data as it came in, or null when it was not read. */
  before: Record<string, unknown> | null;
  /** Data as it went out, or null when the namespace was not touched. */
  after: Record<string, unknown> | null;
  added: string[];
  removed: string[];
  changed: string[];
  /** What the commits of this request did, in order; empty when nothing was needed. */
  commit: CommitOutcome[];
  /** How the data was obtained when the namespace was not touched (capture 'all'). */
  note: string | null;
}

/** One recorded request. @publicApi */
export interface RequestRecord {
  /** Increasing per process; the panel's URL for the request. */
  id: number;
  method: string;
  /** The path without the query string. */
  path: string;
  status: number;
  /** When the request arrived (ISO 8601). */
  time: string;
  durationMs: number;
  namespaces: NamespaceRecord[];
}

/** A line of the request list. @publicApi */
export type RequestSummary = Omit<RequestRecord, 'namespaces'> & {
  /** Namespaces the request touched. */
  touched: string[];
};

/** @internal */
export function summarize(record: RequestRecord): RequestSummary {
  const { namespaces, ...rest } = record;
  return { ...rest, touched: namespaces.filter((n) => n.touched).map((n) => n.namespace) };
}
