import {
  COOKIE_OPTION_NAMES,
  cookieOptionsProblem,
  type SessionCookieOptions,
} from './cookie-options';
import {
  describeValue,
  expectBoolean,
  expectFunction,
  expectMethods,
  expectSeconds,
  expectString,
  HOOK_OPTION_NAMES,
  hookOptionsProblem,
  optionNames,
  unknownOptionProblem,
  type OptionProblem,
} from './option-rules';
import { secretTypeProblem } from './option-rules-secret';
import type { SessionHooks } from './session-factory.interface';
import type { ServerSessionOptions, ServerSessionSettings } from './server-session.options';
import { transportProblem } from './transports/session-id-transport';

/** Names of {@link ServerSessionOptions}, cookie attributes and hooks included. @internal */
export const SERVER_OPTION_NAMES: readonly string[] = [
  ...COOKIE_OPTION_NAMES,
  ...HOOK_OPTION_NAMES,
  ...optionNames<Omit<ServerSessionOptions, keyof SessionCookieOptions | keyof SessionHooks>>({
    store: true,
    transport: true,
    onConflict: true,
    rolling: true,
    secret: true,
    timeout: true,
    expiryInPayload: true,
    timeoutTrigger: true,
    setStoreTtl: true,
    touchOnRead: true,
    detectChanges: true,
    deserializedFailsNew: true,
    invalidateEmptySession: true,
    idGenerator: true,
    serializer: true,
    onStoreError: true,
    maxLifetime: true,
    hashAlgorithm: true,
    salt: true,
  }),
];

function isSeconds(value: unknown, min: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min;
}

/** The first type or range problem of the server options, one option at a time. */
function typeProblem(options: ServerSessionOptions): OptionProblem {
  return (
    unknownOptionProblem(options, SERVER_OPTION_NAMES, 'ServerSessionFactory') ??
    cookieOptionsProblem(options as SessionCookieOptions) ??
    transportProblem(options.transport) ??
    cookieOnlyProblem(options) ??
    hookOptionsProblem(options) ??
    secretTypeProblem('secret', options.secret) ??
    expectSeconds('timeout', options.timeout, {
      min: 0,
      nullable: true,
      nullMeans: 'for no timeout',
    }) ??
    expectBoolean('expiryInPayload', options.expiryInPayload) ??
    expectSeconds('timeoutTrigger', options.timeoutTrigger, {
      min: 0,
      nullable: true,
      nullMeans: 'to leave it off',
    }) ??
    expectBoolean('setStoreTtl', options.setStoreTtl) ??
    expectBoolean('touchOnRead', options.touchOnRead) ??
    expectBoolean('detectChanges', options.detectChanges) ??
    expectBoolean('deserializedFailsNew', options.deserializedFailsNew) ??
    expectBoolean('invalidateEmptySession', options.invalidateEmptySession) ??
    expectFunction('idGenerator', options.idGenerator) ??
    expectMethods('serializer', options.serializer, ['serialize', 'deserialize']) ??
    expectSeconds('maxLifetime', options.maxLifetime, { min: 1 }) ??
    expectString('hashAlgorithm', options.hashAlgorithm, "'sha512'") ??
    expectString('salt', options.salt, "'my-app.cart.'")
  );
}

/** The first problem of the options, with defaults applied in `s`. @internal */
export function findProblem(
  options: ServerSessionOptions,
  s: ServerSessionSettings,
  trigger: number | null,
): string | undefined {
  if (options.store == null || typeof options.store.get !== 'function') {
    return 'store is missing. Pass a store, e.g. store: new MemoryStore() or new RedisStore({ url }).';
  }
  const typed = typeProblem(options);
  if (typed !== undefined) {
    return typed;
  }
  if (s.timeout !== null && !isSeconds(s.timeout, 1)) {
    return `timeout is ${String(options.timeout)}; it must be a whole number of seconds above 0, or null for no timeout. Fix the timeout option.`;
  }
  if (trigger !== null && (!isSeconds(trigger, 0) || s.timeout === null || trigger >= s.timeout)) {
    return `timeoutTrigger is ${String(trigger)}; it must be a whole number of seconds below timeout (${String(s.timeout)}). Lower timeoutTrigger or remove it.`;
  }
  if (trigger !== null && options.expiryInPayload === false) {
    return 'timeoutTrigger needs the expiry in the payload, but expiryInPayload is false. Remove expiryInPayload: false or timeoutTrigger.';
  }
  if (s.timeout !== null && !s.storeTtl && !s.expiryInPayload) {
    return 'setStoreTtl is false and expiryInPayload is false, so the timeout would be enforced nowhere. Remove expiryInPayload: false, or set timeout: null for sessions that never time out.';
  }
  if (s.touchOnRead && (s.timeout === null || !s.storeTtl || s.expiryInPayload)) {
    return 'touchOnRead resets the store TTL while reading, so it needs a timeout, setStoreTtl: true, and the expiry kept out of the payload (no timeoutTrigger, expiryInPayload: false). Change those options or drop touchOnRead.';
  }
  if (s.maxLifetime !== undefined && !isSeconds(s.maxLifetime, 1)) {
    return `maxLifetime is ${String(s.maxLifetime)}; it must be a whole number of seconds above 0. Fix the maxLifetime option or remove it.`;
  }
  if (
    options.onConflict !== undefined &&
    !['merge', 'reject', 'overwrite'].includes(options.onConflict)
  ) {
    return `onConflict is "${String(options.onConflict)}"; it must be 'merge', 'reject' or 'overwrite'. Fix the onConflict option.`;
  }
  if (options.rolling !== undefined && typeof options.rolling !== 'boolean') {
    return `rolling is the ${typeof options.rolling} ${JSON.stringify(options.rolling)}; pass true or false.`;
  }
  if (
    options.onStoreError !== undefined &&
    !['throw', 'fail-open'].includes(options.onStoreError)
  ) {
    return `onStoreError is ${describeValue(options.onStoreError)}; it must be 'throw' or 'fail-open'. Fix the onStoreError option.`;
  }
  return undefined;
}

/** Cookie attributes (name included) do nothing when the id travels in a header or a URL. */
function cookieOnlyProblem(options: ServerSessionOptions): OptionProblem {
  const transport = options.transport;
  if (transport === undefined || transport.kind === 'cookie') {
    return undefined;
  }
  const given = COOKIE_OPTION_NAMES.filter(
    (name) => (options as unknown as Record<string, unknown>)[name] !== undefined,
  );
  if (given.length === 0) {
    return undefined;
  }
  const carrier =
    transport.kind === 'header'
      ? `header "${transport.name}"`
      : `query parameter "${transport.param}"`;
  return `${given.join(', ')} ${given.length === 1 ? 'is a cookie option' : 'are cookie options'}, but the session id travels in the ${carrier} (${transport.kind}Transport()). Remove ${given.length === 1 ? 'it' : 'them'}.`;
}
