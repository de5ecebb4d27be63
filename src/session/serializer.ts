/**
 * Turns session data into text and back. JSON by default; a custom serializer must round-trip
 * every JSON value and throw on input it cannot read (the factory turns that into an invalid
 * session, never a 500 unless asked to).
 *
 * @publicApi
 */
export interface SessionSerializer {
  serialize(value: unknown): string;
  deserialize(text: string): unknown;
}

/** The default serializer: `JSON.stringify` / `JSON.parse`. @publicApi */
export const JSON_SERIALIZER: SessionSerializer = {
  serialize: (value) => JSON.stringify(value),
  deserialize: (text) => JSON.parse(text) as unknown,
};

/** True for a plain object (the only shape accepted as session data). @internal */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return false;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Removes keys that could reach a prototype if the data were ever spread or merged.
 * `JSON.parse` itself creates them as plain own properties, so only the top level needs it.
 *
 * @internal
 */
export function dropReservedKeys(data: Record<string, unknown>): Record<string, unknown> {
  if (Object.hasOwn(data, '__proto__')) {
    delete data['__proto__'];
  }
  return data;
}
