import type { RedisNodeAddress } from '../stores/redis.store';

// How a setting's value, usually text from an env file or ConfigService, becomes the typed value
// of an option: each coercer returns the value, or an Error whose message completes
// `Setting "<key>" …`.

function shown(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : String(value);
}

/** Trimmed lower-case text of a primitive; '' for anything else (which then fails its check). @internal */
export function norm(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value).trim().toLowerCase()
    : '';
}

const TRUE = new Set(['true', 'yes', 'on', 'y', 't', '1']);
const FALSE = new Set(['false', 'no', 'off', 'n', 'f', '0']);
const NONE = new Set(['none', 'null']);

/** Text as it is. @internal */
export const text = (value: unknown): unknown =>
  typeof value === 'string' ? value : new Error(`is ${shown(value)}; it must be text.`);

/** A boolean, or one of true/yes/on/y/t/1 and false/no/off/n/f/0 in any case. @internal */
export const bool = (value: unknown): unknown => {
  if (typeof value === 'boolean') {
    return value;
  }
  const v = norm(value);
  if (TRUE.has(v) || FALSE.has(v)) {
    return TRUE.has(v);
  }
  return new Error(`is ${shown(value)}; it must be true or false. Fix the value.`);
};

function integer(value: unknown, min: number): number | undefined {
  const n =
    typeof value === 'number' ? value : /^-?\d+$/.test(norm(value)) ? Number(norm(value)) : NaN;
  return Number.isInteger(n) && n >= min ? n : undefined;
}

/** A whole number of at least `min`; `what` names it in the message. @internal */
export const int =
  (min: number, what: string) =>
  (value: unknown): unknown =>
    integer(value, min) ?? new Error(`is ${shown(value)}; it must be ${what}. Fix the value.`);

/** Whole seconds; the seed's rule: "None" or 0 means none (null). @internal */
export const secondsOrNone =
  (what: string) =>
  (value: unknown): unknown => {
    if (value === null || NONE.has(norm(value))) {
      return null;
    }
    const n = integer(value, 0);
    if (n === undefined) {
      return new Error(
        `is ${shown(value)}; it must be ${what}, or "None"/0 for none. Fix the value.`,
      );
    }
    return n === 0 ? null : n;
  };

/** Seconds, fractions allowed; "None"/0 keep RedisStore's default deadline (never no deadline). @internal */
export const socketTimeout = (value: unknown): unknown => {
  if (value === null || NONE.has(norm(value))) {
    return null;
  }
  const n = typeof value === 'number' ? value : norm(value) === '' ? NaN : Number(norm(value));
  if (!Number.isFinite(n) || n < 0) {
    return new Error(
      `is ${shown(value)}; it must be a number of seconds, or "None"/0 for the default. Fix the value.`,
    );
  }
  return n === 0 ? null : n;
};

/** One of the `allowed` words, in any case. @internal */
export const oneOf =
  (...allowed: string[]) =>
  (value: unknown): unknown => {
    const v = norm(value);
    return allowed.includes(v)
      ? v
      : new Error(
          `is ${shown(value)}; it must be one of ${allowed.map((a) => `"${a}"`).join(', ')}. Fix the value.`,
        );
  };

/** A function itself (a dotted path, as Python settings hold, cannot be resolved). @internal */
export const callable = (value: unknown): unknown =>
  typeof value === 'function'
    ? value
    : new Error(
        typeof value === 'string'
          ? `is the string ${shown(value)}; dotted paths cannot be resolved in JavaScript. Put the function itself in the settings object.`
          : `is ${shown(value)}; it must be a function. Put the function itself in the settings object.`,
      );

/** "host:port,host:port" (or a list of { host, port }). @internal */
export const nodes = (value: unknown): unknown => {
  if (Array.isArray(value)) {
    return value as RedisNodeAddress[];
  }
  const list = String(value)
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const colon = part.lastIndexOf(':');
      return { host: part.slice(0, colon), port: integer(part.slice(colon + 1), 1) };
    });
  return list.length > 0 && list.every((n) => n.host !== '' && n.port !== undefined)
    ? list
    : new Error(
        `is ${shown(value)}; it must be a comma-separated list of host:port. Fix the value.`,
      );
};

/**
 * A URL ioredis can read: it parses `redis://` / `rediss://` URLs as they are, `//host` and
 * `host:port` with `redis:` put in front, and takes a bare port or a socket path as such. A text it
 * cannot parse would otherwise fail inside ioredis with a TypeError ("Invalid URL").
 * @internal
 */
export const redisUrl = (value: unknown): unknown => {
  if (typeof value !== 'string') {
    return text(value);
  }
  const candidate = /^rediss?:\/\//i.test(value)
    ? value
    : value.startsWith('//')
      ? `redis:${value}`
      : `redis://${value}`;
  return /^\d+$/.test(value) || /^\/(?!\/)/.test(value) || URL.canParse(candidate)
    ? value
    : new Error(
        `is ${shown(value)}; it must be a Redis URL such as "redis://127.0.0.1:6379/0". Fix the value.`,
      );
};

/** A setting that is never accepted, for `reason`. @internal */
export const refused = (reason: string) => (): unknown => new Error(reason);

/** A redis-py option with no ioredis equivalent: its harmless default is accepted, nothing else. @internal */
export const noop =
  (harmless: string[], reason: string) =>
  (value: unknown): unknown =>
    harmless.includes(norm(value)) ? undefined : new Error(reason);
