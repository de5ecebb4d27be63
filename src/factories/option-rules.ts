import type { SessionHooks } from './session-factory.interface';
import { optionNames } from '../stores/option-names';

export { levenshtein, optionNames, unknownOptionProblem } from '../stores/option-names';

/**
 * Small checks for factory options, each returning the problem (without the namespace, which
 * `validate(namespace)` adds) or undefined. Messages name the value's type, because values from
 * `ConfigService` or `process.env` are strings: `maxAge is the string "3600"; pass a number
 * (seconds).`
 *
 * @internal
 */
export type OptionProblem = string | undefined;

const MAX_SHOWN = 40;

/** The value's type and a trimmed rendering of it, e.g. `the string "3600"`. @internal */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'string': {
      const shown = value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}…` : value;
      return `the string ${JSON.stringify(shown)}`;
    }
    case 'number':
      return Number.isFinite(value) ? `the number ${value}` : String(value);
    case 'boolean':
      return `the boolean ${value}`;
    case 'bigint':
      return `the bigint ${value}n`;
    case 'undefined':
      return 'undefined';
    default:
      return describeType(value);
  }
}

/** The value's type only, for options whose value must never be shown (secrets, keys). @internal */
export function describeType(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'an array';
  }
  switch (typeof value) {
    case 'object':
      return 'an object';
    case 'function':
      return 'a function';
    case 'undefined':
      return 'undefined';
    default:
      return `a ${typeof value}`;
  }
}

/** Rules for a number of seconds. */
export interface SecondsRule {
  /** Smallest accepted value. */
  min: number;
  /** `null` is accepted (and means "off"). */
  nullable?: boolean;
  /** What `null` means, for the message. @default 'to turn it off' */
  nullMeans?: string;
}

/** A whole number of seconds, `min` or more (or null when allowed); unset passes. @internal */
export function expectSeconds(name: string, value: unknown, rule: SecondsRule): OptionProblem {
  if (value === undefined || (value === null && rule.nullable)) {
    return undefined;
  }
  const orNull = rule.nullable ? `, or null ${rule.nullMeans ?? 'to turn it off'}` : '';
  if (typeof value !== 'number') {
    return `${name} is ${describeValue(value)}; pass a number (seconds)${orNull}.`;
  }
  if (!Number.isInteger(value) || value < rule.min) {
    return `${name} is ${describeValue(value)}; it must be a whole number of seconds, ${rule.min} or more${orNull}. Fix the ${name} option.`;
  }
  return undefined;
}

/** A boolean; unset passes. @internal */
export function expectBoolean(name: string, value: unknown): OptionProblem {
  return value === undefined || typeof value === 'boolean'
    ? undefined
    : `${name} is ${describeValue(value)}; pass true or false.`;
}

/** A string; unset passes. @internal */
export function expectString(name: string, value: unknown, example: string): OptionProblem {
  return value === undefined || typeof value === 'string'
    ? undefined
    : `${name} is ${describeValue(value)}; pass a string such as ${example}.`;
}

/** A function; unset passes. @internal */
export function expectFunction(name: string, value: unknown): OptionProblem {
  return value === undefined || typeof value === 'function'
    ? undefined
    : `${name} is ${describeValue(value)}; pass a function.`;
}

/** An object with the given methods; unset passes. @internal */
export function expectMethods(
  name: string,
  value: unknown,
  methods: readonly string[],
): OptionProblem {
  if (value === undefined) {
    return undefined;
  }
  const holder = value as Record<string, unknown> | null;
  if (
    holder === null ||
    typeof holder !== 'object' ||
    methods.some((m) => typeof holder[m] !== 'function')
  ) {
    return `${name} is ${describeValue(value)}; pass an object with ${methods.join(', ')} methods.`;
  }
  return undefined;
}

/** Names of {@link SessionHooks}, accepted by every factory. @internal */
export const HOOK_OPTION_NAMES = optionNames<SessionHooks>({
  logger: true,
  onInvalidSession: true,
  reportMissingCookie: true,
  cookieOnException: true,
  allowCookies: true,
});

/** The first problem of the hooks every factory accepts. @internal */
export function hookOptionsProblem(options: SessionHooks): OptionProblem {
  return (
    expectMethods('logger', options.logger, ['debug', 'warn', 'error']) ??
    expectFunction('onInvalidSession', options.onInvalidSession) ??
    expectBoolean('reportMissingCookie', options.reportMissingCookie) ??
    expectBoolean('cookieOnException', options.cookieOnException) ??
    expectFunction('allowCookies', options.allowCookies)
  );
}
