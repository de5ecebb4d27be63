import type { SessionFactory } from '../factories/session-factory.interface';
import type { SessionLogger } from '../factories/session-logger';
import { createIdCarrier } from '../factories/transports/create-id-carrier';
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

/** Header carriers warn about CORS only when they answer; reading a request logs nothing. */
const SILENT: SessionLogger = {
  debug: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/**
 * The value the request carried for the namespace: its cookie, or the first value of its id
 * header or query parameter, read as the factory reads it. @internal
 */
export function carriedValue(factory: SessionFactory, ctx: LoadContext): string | undefined {
  const transport = factory.idTransport;
  if (transport === undefined || transport.kind === 'cookie') {
    return ctx.cookies[factory.cookieName];
  }
  const first = createIdCarrier(transport, factory.cookieOptions, SILENT).candidates(ctx)[0];
  return typeof first === 'string' ? first : undefined;
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
