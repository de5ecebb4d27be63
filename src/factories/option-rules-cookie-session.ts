import {
  COOKIE_OPTION_NAMES,
  cookieOptionsProblem,
  type SessionCookieOptions,
} from './cookie-options';
import type { CookieSessionOptions } from './cookie-session.options';
import {
  expectBoolean,
  expectMethods,
  expectSeconds,
  HOOK_OPTION_NAMES,
  hookOptionsProblem,
  optionNames,
  unknownOptionProblem,
  type OptionProblem,
} from './option-rules';
import type { SessionHooks } from './session-factory.interface';

/** Names of {@link CookieSessionOptions}, cookie attributes and hooks included. @internal */
export const COOKIE_SESSION_OPTION_NAMES: readonly string[] = [
  ...COOKIE_OPTION_NAMES,
  ...HOOK_OPTION_NAMES,
  ...optionNames<Omit<CookieSessionOptions, keyof SessionCookieOptions | keyof SessionHooks>>({
    setOnException: true,
    timeout: true,
    reissueTime: true,
    maxLifetime: true,
    serializer: true,
    detectChanges: true,
  }),
];

/**
 * The first problem of the options the cookie-data factories share, `known` being every option
 * name of the factory.
 *
 * @internal
 */
export function cookieSessionOptionsProblem(
  options: CookieSessionOptions,
  known: readonly string[],
  factory: string,
): OptionProblem {
  return (
    unknownOptionProblem(options, known, factory) ??
    cookieOptionsProblem(options) ??
    hookOptionsProblem(options) ??
    expectBoolean('setOnException', options.setOnException) ??
    expectSeconds('timeout', options.timeout, {
      min: 1,
      nullable: true,
      nullMeans: 'for no timeout',
    }) ??
    expectSeconds('reissueTime', options.reissueTime, {
      min: 0,
      nullable: true,
      nullMeans: 'to never re-issue on reads',
    }) ??
    expectSeconds('maxLifetime', options.maxLifetime, { min: 1 }) ??
    expectMethods('serializer', options.serializer, ['serialize', 'deserialize']) ??
    expectBoolean('detectChanges', options.detectChanges)
  );
}
