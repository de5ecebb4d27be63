import { JSON_SERIALIZER, dropReservedKeys, isPlainObject } from '../../../src/session/serializer';

describe('JSON_SERIALIZER', () => {
  describe('when round-tripping a payload', () => {
    it('should give back an equal value', () => {
      const value = [1, 2, { a: ['b', null, true] }];
      expect(JSON_SERIALIZER.deserialize(JSON_SERIALIZER.serialize(value))).toEqual(value);
    });
  });

  describe('when the text is not JSON', () => {
    it('should throw', () => {
      expect(() => JSON_SERIALIZER.deserialize('{nope')).toThrow(SyntaxError);
    });
  });
});

describe('isPlainObject', () => {
  describe('when given a plain object', () => {
    it('should be true, also without prototype', () => {
      expect(isPlainObject({ a: 1 })).toBe(true);
      expect(isPlainObject(Object.create(null))).toBe(true);
    });
  });

  describe('when given anything else', () => {
    it.each([[null], [[]], ['x'], [1], [new Date()], [new Map()], [undefined]])(
      'should be false for %p',
      (value) => {
        expect(isPlainObject(value)).toBe(false);
      },
    );
  });
});

describe('dropReservedKeys', () => {
  describe('when parsed data carries a "__proto__" key', () => {
    it('should remove it and leave Object.prototype untouched', () => {
      const data = JSON.parse('{"__proto__":{"polluted":1},"a":1}') as Record<string, unknown>;
      expect(Object.hasOwn(data, '__proto__')).toBe(true);
      const clean = dropReservedKeys(data);
      expect(Object.hasOwn(clean, '__proto__')).toBe(false);
      expect(clean).toEqual({ a: 1 });
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      expect({ ...clean }['polluted' as 'a']).toBeUndefined();
    });
  });

  describe('when the data has no reserved key', () => {
    it('should return the same object unchanged', () => {
      const data = { a: 1 };
      expect(dropReservedKeys(data)).toBe(data);
      expect(data).toEqual({ a: 1 });
    });
  });
});
