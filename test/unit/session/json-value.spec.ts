import { assertJsonValue, isReservedKey } from '../../../src/session/json-value';
import { SessionValueError } from '../../../src/session/session-multi.error';

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}

describe('assertJsonValue', () => {
  describe('when the value is a JSON value', () => {
    it.each([
      ['a string', 'text'],
      ['an empty string', ''],
      ['an integer', 42],
      ['a negative float', -1.5],
      ['zero', 0],
      ['true', true],
      ['false', false],
      ['null', null],
      ['an empty array', []],
      ['a nested structure', { a: [1, { b: null, c: ['x'] }], d: { e: true } }],
      ['an object without prototype', Object.assign(Object.create(null) as object, { a: 1 })],
    ])('should accept %s', (_case, value) => {
      expect(() => assertJsonValue(value, 'key')).not.toThrow();
    });

    it('should accept the same object referenced twice (not a cycle)', () => {
      const shared = { n: 1 };
      expect(() => assertJsonValue({ a: shared, b: [shared, shared] }, 'key')).not.toThrow();
    });
  });

  describe('when the value cannot round-trip through JSON', () => {
    it.each([
      [
        'undefined',
        undefined,
        'Session value at "key" is undefined, which JSON cannot store. Store a string, number, boolean, null, array or plain object.',
      ],
      [
        'a function',
        () => 1,
        'Session value at "key" is function, which JSON cannot store. Store a string, number, boolean, null, array or plain object.',
      ],
      [
        'a symbol',
        Symbol('s'),
        'Session value at "key" is symbol, which JSON cannot store. Store a string, number, boolean, null, array or plain object.',
      ],
      [
        'a bigint',
        10n,
        'Session value at "key" is bigint, which JSON cannot store. Store a string, number, boolean, null, array or plain object.',
      ],
      [
        'NaN',
        NaN,
        'Session value at "key" is NaN, which JSON cannot store. Store a finite number or null.',
      ],
      [
        'Infinity',
        Infinity,
        'Session value at "key" is Infinity, which JSON cannot store. Store a finite number or null.',
      ],
      [
        'a Date',
        new Date(0),
        'Session value at "key" is a Date, which does not survive JSON. Convert it to a plain object, string or number first (e.g. date.toISOString()).',
      ],
      [
        'a Map',
        new Map([['a', 1]]),
        'Session value at "key" is a Map, which does not survive JSON. Convert it to a plain object, string or number first (e.g. date.toISOString()).',
      ],
      [
        'a Set',
        new Set([1]),
        'Session value at "key" is a Set, which does not survive JSON. Convert it to a plain object, string or number first (e.g. date.toISOString()).',
      ],
      [
        'a class instance',
        new Point(1, 2),
        'Session value at "key" is a Point, which does not survive JSON. Convert it to a plain object, string or number first (e.g. date.toISOString()).',
      ],
    ])('should throw SessionValueError for %s', (_case, value, message) => {
      expect(() => assertJsonValue(value, 'key')).toThrow(new SessionValueError(message));
    });

    it('should report the path of a nested bad value', () => {
      expect(() => assertJsonValue({ items: [1, { when: new Date(0) }] }, 'cart')).toThrow(
        'Session value at "cart.items[1].when" is a Date',
      );
    });

    it('should throw for a cyclic object', () => {
      const a: Record<string, unknown> = { name: 'a' };
      a['self'] = a;
      expect(() => assertJsonValue(a, 'key')).toThrow(
        new SessionValueError(
          'Session value at "key.self" refers to itself (a cycle), which JSON cannot store. Store a tree of plain objects.',
        ),
      );
    });

    it('should throw for a cyclic array', () => {
      const list: unknown[] = [1];
      list.push(list);
      expect(() => assertJsonValue(list, 'key')).toThrow(
        'Session value at "key[1]" refers to itself',
      );
    });

    it('should throw for a nested reserved key', () => {
      const parsed = JSON.parse('{"user":{"__proto__":{"admin":true}}}') as unknown;
      expect(() => assertJsonValue(parsed, 'key')).toThrow(
        new SessionValueError(
          'Session value at "key.user" has the reserved key "__proto__". Rename the key.',
        ),
      );
    });

    it.each(['constructor', 'prototype'])('should throw for the nested reserved key %s', (key) => {
      expect(() => assertJsonValue({ [key]: 1 }, 'key')).toThrow(`has the reserved key "${key}"`);
    });
  });
});

describe('assertJsonValue on shapes JSON reshapes', () => {
  const extra = Object.assign([1, 2], { label: 'x' });
  it.each([
    [
      'a sparse array',
      new Array<number>(2).fill(1, 1),
      'is an array with holes or extra properties',
    ],
    ['an array with an extra property', extra, 'is an array with holes or extra properties'],
    ['an object with a symbol key', { [Symbol('s')]: 1, a: 1 }, 'has symbol keys'],
  ])('should refuse %s', (_label, value, message) => {
    expect(() => assertJsonValue(value, 'key')).toThrow(SessionValueError);
    expect(() => assertJsonValue(value, 'key')).toThrow(message);
  });

  it('should accept -0, which JSON stores as 0', () => {
    expect(() => assertJsonValue(-0, 'key')).not.toThrow();
  });
});

describe('isReservedKey', () => {
  describe('when the key can reach a prototype', () => {
    it.each(['__proto__', 'constructor', 'prototype'])('should be true for %s', (key) => {
      expect(isReservedKey(key)).toBe(true);
    });
  });

  describe('when the key is ordinary', () => {
    it.each(['cart', 'proto', '_csrft_', 'toString'])('should be false for %s', (key) => {
      expect(isReservedKey(key)).toBe(false);
    });
  });
});
