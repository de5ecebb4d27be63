import { SessionValueError } from './session-multi.error';

/** Keys that could reach an object's prototype when data is copied; never stored. */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** @internal */
export function isReservedKey(key: string): boolean {
  return RESERVED_KEYS.has(key);
}

function describe(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (typeof value === 'object') {
    return (
      (Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)?.constructor
        ?.name ?? 'object'
    );
  }
  return typeof value;
}

/** `root.key[0].other` from the keys walked so far; built only for an error message. */
function pathOf(stack: readonly (string | number)[]): string {
  let path = String(stack[0]);
  for (let i = 1; i < stack.length; i++) {
    const key = stack[i]!;
    path += typeof key === 'number' ? `[${key}]` : `.${key}`;
  }
  return path;
}

function check(value: unknown, stack: (string | number)[], seen: Set<object>): void {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) {
        throw new SessionValueError(
          `Session value at "${pathOf(stack)}" is ${String(value)}, which JSON cannot store. Store a finite number or null.`,
        );
      }
      return;
    case 'object': {
      if (value === null) {
        return;
      }
      if (seen.has(value)) {
        throw new SessionValueError(
          `Session value at "${pathOf(stack)}" refers to itself (a cycle), which JSON cannot store. Store a tree of plain objects.`,
        );
      }
      if (Object.getOwnPropertySymbols(value).length > 0) {
        throw new SessionValueError(
          `Session value at "${pathOf(stack)}" has symbol keys, which JSON drops. Use string keys.`,
        );
      }
      if (Array.isArray(value)) {
        if (Object.keys(value).length !== value.length) {
          throw new SessionValueError(
            `Session value at "${pathOf(stack)}" is an array with holes or extra properties, which JSON does not keep. Store a dense array (or a plain object).`,
          );
        }
        seen.add(value);
        for (let i = 0; i < value.length; i++) {
          stack.push(i);
          check(value[i], stack, seen);
          stack.pop();
        }
        seen.delete(value);
        return;
      }
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        throw new SessionValueError(
          `Session value at "${pathOf(stack)}" is a ${describe(value)}, which does not survive JSON. Convert it to a plain object, string or number first (e.g. date.toISOString()).`,
        );
      }
      seen.add(value);
      for (const [key, item] of Object.entries(value)) {
        if (isReservedKey(key)) {
          throw new SessionValueError(
            `Session value at "${pathOf(stack)}" has the reserved key "${key}". Rename the key.`,
          );
        }
        stack.push(key);
        check(item, stack, seen);
        stack.pop();
      }
      seen.delete(value);
      return;
    }
    default:
      throw new SessionValueError(
        `Session value at "${pathOf(stack)}" is ${describe(value)}, which JSON cannot store. Store a string, number, boolean, null, array or plain object.`,
      );
  }
}

/**
 * Throws `SessionValueError` unless `value` is a JSON value that comes back unchanged from
 * `JSON.parse(JSON.stringify(value))`.
 *
 * @internal
 */
export function assertJsonValue(value: unknown, path: string): void {
  check(value, [path], new Set());
}
