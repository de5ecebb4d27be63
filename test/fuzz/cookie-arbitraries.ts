import fc from 'fast-check';
import { sign as cookieSignature } from 'cookie-signature';

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** One character a hostile client might send: ASCII, Latin-1, above U+00FF, a lone surrogate. */
export const anyChar: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  fc.constantFrom('.', '=', '+', '/', ' ', '%', ';', ',', '"', '\\', '\0', '\uD800', '\uDFFF'),
  fc.integer({ min: 0x100, max: 0x17f }).map((c) => String.fromCharCode(c)),
  fc.integer({ min: 0, max: BASE64URL.length - 1 }).map((i) => BASE64URL[i]!),
);

/** Mostly base64url, with a few characters Node's lax decoder would skip or read differently. */
export const base64urlIsh: fc.Arbitrary<string> = fc.string({
  unit: fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom(...BASE64URL) },
    { weight: 1, arbitrary: anyChar },
  ),
  maxLength: 200,
});

/** A `<payload>.<mac>` shape built from base64url-ish parts. */
const signedShape: fc.Arbitrary<string> = fc
  .tuple(base64urlIsh, base64urlIsh)
  .map(([payload, mac]) => `${payload}.${mac}`);

/** Express's `res.cookie(name, object)` writes `j:` + JSON. */
const jPrefixed: fc.Arbitrary<string> = fc
  .jsonValue({ maxDepth: 2 })
  .map((value) => `j:${JSON.stringify(value)}`);

/** cookie-parser's signed values, `s:<value>.<signature>`, under some other secret. */
const cookieParserSigned: fc.Arbitrary<string> = fc
  .tuple(fc.string({ maxLength: 60 }), fc.string({ minLength: 1, maxLength: 40 }))
  .map(([value, secret]) => `s:${cookieSignature(value, secret)}`);

/** Any cookie value a client could send, valid-looking or not. */
export const hostileCookie: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: anyChar, maxLength: 200 }),
  base64urlIsh,
  signedShape,
  jPrefixed,
  cookieParserSigned,
);

/** An edit of a text, positions given as fractions of its length so one edit fits any text. */
export type Mutation =
  | { kind: 'substitute'; at: number; char: string }
  | { kind: 'widen'; at: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'extend'; tail: string }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'swap'; at: number; other: number };

const position = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('substitute' as const), at: position, char: anyChar }),
  fc.record({ kind: fc.constant('widen' as const), at: position }),
  fc.record({ kind: fc.constant('truncate' as const), at: position }),
  fc.record({
    kind: fc.constant('extend' as const),
    tail: fc.string({ unit: anyChar, minLength: 1, maxLength: 8 }),
  }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: position,
    text: fc.string({ unit: anyChar, minLength: 1, maxLength: 4 }),
  }),
  fc.record({
    kind: fc.constant('delete' as const),
    at: position,
    length: fc.integer({ min: 1, max: 8 }),
  }),
  fc.record({ kind: fc.constant('swap' as const), at: position, other: position }),
);

/** Applies a mutation; the result may equal the input (a swap of equal characters, say). */
export function mutate(text: string, m: Mutation): string {
  const at = (fraction: number): number => Math.floor(fraction * text.length);
  switch (m.kind) {
    case 'substitute':
    case 'widen': {
      if (text.length === 0) {
        return text;
      }
      const i = at(m.at);
      const char = m.kind === 'widen' ? String.fromCharCode(0x100 + text.charCodeAt(i)) : m.char;
      return `${text.slice(0, i)}${char}${text.slice(i + 1)}`;
    }
    case 'truncate':
      return text.slice(0, at(m.at));
    case 'extend':
      return `${text}${m.tail}`;
    case 'insert': {
      const i = at(m.at);
      return `${text.slice(0, i)}${m.text}${text.slice(i)}`;
    }
    case 'delete': {
      const i = at(m.at);
      return `${text.slice(0, i)}${text.slice(i + m.length)}`;
    }
    case 'swap': {
      const [i, j] = [at(m.at), at(m.other)].sort((a, b) => a - b) as [number, number];
      if (i === j) {
        return text;
      }
      return `${text.slice(0, i)}${text[j]}${text.slice(i + 1, j)}${text[i]}${text.slice(j + 1)}`;
    }
  }
}

/** One to three mutations in a row. */
export const mutations: fc.Arbitrary<Mutation[]> = fc.array(mutation, {
  minLength: 1,
  maxLength: 3,
});

/** Keys the library refuses to store (they could reach a prototype when data is copied). */
const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);

/** JSON leaves: -0 is left out, since `JSON.stringify` writes it as 0 (JSON's one loss). */
const jsonLeaf: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n)),
  fc.string({ unit: 'binary', maxLength: 16 }),
);

/** Any JSON value (lone surrogates and all), kept small: three levels, four items a level. */
export const { jsonValue } = fc.letrec<{ jsonValue: unknown }>((tie) => ({
  jsonValue: fc.oneof(
    { maxDepth: 3, depthSize: 'small' },
    jsonLeaf,
    fc.array(tie('jsonValue'), { maxLength: 4 }),
    fc.dictionary(fc.string({ unit: 'binary', maxLength: 8 }), tie('jsonValue'), {
      maxKeys: 4,
      noNullPrototype: true,
    }),
  ),
}));

/** `session.set()` refuses reserved keys at any depth, so round-trip data has none. */
function withoutReservedKeys(value: unknown): boolean {
  if (Array.isArray(value)) {
    return value.every(withoutReservedKeys);
  }
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).every(([k, v]) => !RESERVED.has(k) && withoutReservedKeys(v));
  }
  return true;
}

/** Session data of arbitrary JSON values, small enough for a 4 KB cookie. */
export const sessionData: fc.Arbitrary<Record<string, unknown>> = fc
  .dictionary(fc.string({ unit: 'binary', maxLength: 12 }), jsonValue, {
    minKeys: 1,
    maxKeys: 4,
    noNullPrototype: true,
  })
  .filter(withoutReservedKeys);

/** A JSON tree written as text, so `__proto__` can be a literal key (an object literal would set the prototype). */
export type JsonNode =
  | { kind: 'value'; value: unknown }
  | { kind: 'object'; entries: [string, JsonNode][] }
  | { kind: 'array'; items: JsonNode[] };

const pollutingKey = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype') },
  { weight: 1, arbitrary: fc.constantFrom('polluted', 'toString', 'hasOwnProperty', 'isAdmin') },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
);

const { node: pollutingNode } = fc.letrec<{ node: JsonNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({
      kind: fc.constant('value' as const),
      value: fc.oneof(fc.constant(true), fc.constant('polluted'), fc.integer(), fc.constant(null)),
    }),
    fc.record({
      kind: fc.constant('object' as const),
      entries: fc.array(fc.tuple(pollutingKey, tie('node')), { maxLength: 4 }),
    }),
    fc.record({
      kind: fc.constant('array' as const),
      items: fc.array(tie('node'), { maxLength: 3 }),
    }),
  ),
}));

/** An object whose JSON text has `__proto__` / `constructor` / `prototype` keys at any depth. */
export const pollutingObject: fc.Arbitrary<JsonNode> = fc.record({
  kind: fc.constant('object' as const),
  entries: fc.array(fc.tuple(pollutingKey, pollutingNode), { minLength: 1, maxLength: 4 }),
});

export function jsonText(node: JsonNode): string {
  switch (node.kind) {
    case 'value':
      return JSON.stringify(node.value);
    case 'array':
      return `[${node.items.map(jsonText).join(',')}]`;
    case 'object':
      return `{${node.entries.map(([k, v]) => `${JSON.stringify(k)}:${jsonText(v)}`).join(',')}}`;
  }
}

const PROTOTYPES: [string, object][] = [
  ['Object.prototype', Object.prototype],
  ['Array.prototype', Array.prototype],
  ['Function.prototype', Function.prototype],
  ['String.prototype', String.prototype],
];
const SNAPSHOT = PROTOTYPES.map(([, proto]) => Reflect.ownKeys(proto).length);

/** True while no shared prototype gained a property and `({}).polluted` is still undefined. */
export function prototypesUntouched(): boolean {
  const plain = {} as Record<string, unknown>;
  return (
    plain['polluted'] === undefined &&
    plain['isAdmin'] === undefined &&
    Object.getPrototypeOf(plain) === Object.prototype &&
    PROTOTYPES.every(([, proto], i) => Reflect.ownKeys(proto).length === SNAPSHOT[i])
  );
}
