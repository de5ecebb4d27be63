import { JSON_SERIALIZER } from '../../../src/session/serializer';
import {
  decodePayload,
  encodePayload,
  PAYLOAD_VERSION,
  RawDeserializationError,
} from '../../../src/stores/payload-serializer';

describe('payload-serializer', () => {
  describe('encodePayload', () => {
    it('should write the one-letter keys and leave out unset t and x', () => {
      const text = encodePayload({ m: { a: 1 }, c: 10, v: PAYLOAD_VERSION }, JSON_SERIALIZER);
      expect(text).toBe('{"m":{"a":1},"c":10,"v":1}');
      const full = encodePayload({ m: {}, c: 10, v: 1, t: 60, x: 70 }, JSON_SERIALIZER);
      expect(JSON.parse(full)).toEqual({ m: {}, c: 10, v: 1, t: 60, x: 70 });
    });
  });

  describe('decodePayload', () => {
    it('should round-trip an encoded payload', () => {
      const payload = { m: { cart: [1, 2] }, c: 10, v: 1, t: 60, x: 70 };
      expect(decodePayload(encodePayload(payload, JSON_SERIALIZER), JSON_SERIALIZER)).toEqual({
        ok: true,
        payload,
      });
    });

    it.each([
      ['no version', '{"m":{},"c":1}'],
      ['an older version', '{"m":{},"c":1,"v":0}'],
      ['the pyramid 1.2 format', '{"managed_dict":{},"created":1,"timeout":1200}'],
    ])('should call a payload with %s legacy', (_case, text) => {
      expect(decodePayload(text, JSON_SERIALIZER)).toMatchObject({ ok: false, legacy: true });
    });

    it.each([
      ['unparsable text', '{"m":'],
      ['a non-object', '[1,2]'],
      ['a future version', '{"m":{},"c":1,"v":2}'],
      ['a non-object m', '{"m":[],"c":1,"v":1}'],
      ['a string c', '{"m":{},"c":"1","v":1}'],
      ['a zero t', '{"m":{},"c":1,"v":1,"t":0}'],
      ['a string x', '{"m":{},"c":1,"v":1,"x":"soon"}'],
    ])('should refuse %s as unreadable, keeping a cause', (_case, text) => {
      const decoded = decodePayload(text, JSON_SERIALIZER);
      expect(decoded).toMatchObject({ ok: false, legacy: false });
      expect((decoded as { cause: unknown }).cause).toBeInstanceOf(Error);
    });
  });

  describe('RawDeserializationError', () => {
    it('should name the namespace and keep the cause', () => {
      const cause = new SyntaxError('Unexpected token');
      const error = new RawDeserializationError('auth', cause);
      expect(error.name).toBe('RawDeserializationError');
      expect(error.cause).toBe(cause);
      expect(error.message).toBe(
        'Namespace "auth": a stored session payload could not be deserialized (Unexpected token). Check the serializer, or set deserializedFailsNew: true to start a new session instead.',
      );
    });
  });
});
