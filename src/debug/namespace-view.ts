import type { IncomingMessage } from 'node:http';
import type { SessionFactory } from '../factories/session-factory.interface';
import { CookieSessionFactory } from '../factories/cookie-session.factory';
import type { LoadContext } from '../factories/session-factory.interface';
import type { NamespaceRecord } from './debug-record';
import { fingerprint } from './id-fingerprint';
import { snapshot } from './debug-snapshot';

/** The registration facts every record of a namespace starts from. @internal */
export function namespaceBase(
  namespace: string,
  factory: SessionFactory,
  hasDiscriminator: boolean,
  cookieValue: string | undefined,
): NamespaceRecord {
  const store = factory.describe()['store'];
  return {
    namespace,
    factory: factory.constructor.name,
    store: typeof store === 'string' ? store : 'cookie',
    cookieName: factory.cookieName,
    carrier: carrierOf(factory),
    hasDiscriminator,
    mount: 'not-asked',
    touched: false,
    cookiePresent: cookieValue !== undefined,
    invalidReason: null,
    idIn: null,
    idOut: null,
    before: null,
    after: null,
    added: [],
    removed: [],
    changed: [],
    commit: [],
    note: null,
  };
}

/** Where a namespace's id (or cookie data) travels, for the panel. */
function carrierOf(factory: SessionFactory): string {
  const transport = factory.idTransport;
  if (transport?.kind === 'header') {
    return `header "${transport.name}"`;
  }
  if (transport?.kind === 'query') {
    return `query parameter "${transport.param}"`;
  }
  return `cookie "${factory.cookieName}"`;
}

/**
 * The value the request carried for the namespace: its cookie, or its id header or query
 * parameter (the first one when repeated). @internal
 */
export function carriedValue(
  factory: SessionFactory,
  req: IncomingMessage,
  cookies: Readonly<Record<string, string | undefined>>,
): string | undefined {
  const transport = factory.idTransport;
  if (transport?.kind === 'header') {
    const value = req.headers[transport.name.toLowerCase()];
    return Array.isArray(value) ? value[0] : value;
  }
  if (transport?.kind === 'query') {
    const query = (req.url ?? '').split('?')[1];
    return query === undefined
      ? undefined
      : (new URLSearchParams(query).get(transport.param) ?? undefined);
  }
  return cookies[factory.cookieName];
}

/**
 * A namespace the request did not ask for, as capture 'all' shows it: a cookie-backed one is
 * decoded read-only (no session built, no hook called, nothing marked); any other shows only
 * whether its cookie came and a fingerprint of it, because seeing more would need a store call.
 *
 * @internal
 */
export function untouchedView(
  base: NamespaceRecord,
  factory: SessionFactory,
  ctx: LoadContext,
  cookieValue: string | undefined,
  redact: readonly string[],
): NamespaceRecord {
  if (cookieValue === undefined) {
    return { ...base, note: `No ${base.carrier}: nothing to show.` };
  }
  if (!(factory instanceof CookieSessionFactory)) {
    return {
      ...base,
      idIn: fingerprint(cookieValue),
      note: `Id sent in the ${base.carrier}; not verified and not read from the store (the request did not use this namespace). The fingerprint is of the value sent.`,
    };
  }
  const reading = factory.inspect(ctx);
  if (reading.kind === 'valid') {
    const data = snapshot(reading.data, redact);
    return { ...base, before: data, after: data, note: 'Decoded read-only from the cookie.' };
  }
  return {
    ...base,
    invalidReason:
      reading.kind === 'invalid' ? `${reading.reason.name}: ${reading.reason.message}` : null,
    note: 'Decoded read-only from the cookie.',
  };
}
