import fc from 'fast-check';
import type { RedisSessionFactory } from '../../src/factories/redis-session.factory';
import { redisSessionFactoryFromSettings } from '../../src/factories/redis-settings';
import { SETTING_SPECS } from '../../src/factories/redis-setting-table';
import { SessionConfigurationError } from '../../src/session/session-configuration.error';
import { prototypesUntouched } from './cookie-arbitraries';
import { checkProperty, FUZZ_TIMEOUT_MS } from './fuzz-config';

const PREFIX = 'redis.sessions.';
const NAMES = Object.keys(SETTING_SPECS);
const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];

/** A setting name as a user might write it: known (any case), a prototype key, or made up. */
const settingName = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...NAMES) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(...NAMES).map((n) => n.toUpperCase()),
  },
  { weight: 2, arbitrary: fc.constantFrom(...PROTOTYPE_KEYS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);

/** A key: mostly under the prefix, sometimes bare or under another prefix (ignored). */
const settingKey = fc.oneof(
  { weight: 8, arbitrary: settingName.map((n) => `${PREFIX}${n}`) },
  { weight: 1, arbitrary: settingName },
  { weight: 1, arbitrary: settingName.map((n) => `other.${n}`) },
);

/** Text values the coercions read, and text they cannot. */
const settingValue = fc.oneof(
  fc.constantFrom('true', 'False', 'yes', 'off', '1', '0', 'None', 'null', '', ' ', 'auto'),
  fc.constantFrom('lax', 'Strict', 'none', 'throw', 'fail-open', 'utf-8', 'strict'),
  fc.constantFrom('3600', '-1', '0.25', '1e3', '65536', 'NaN', 'Infinity', '0x10'),
  fc.constantFrom('127.0.0.1:6380,127.0.0.1:6381', 'host:', ':1', 'redis://127.0.0.1:6390/0'),
  fc.constantFrom('a-secret-that-is-long-enough-0123456789', 'short'),
  fc.constantFrom('{"polluted":true}', '__proto__', 'constructor'),
  fc.integer().map(String),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

/** A string map, always with a usable secret unless the generator overrides it. */
const settings = fc.array(fc.tuple(settingKey, settingValue), { maxLength: 8 }).chain((entries) =>
  fc.boolean().map((withSecret) => {
    const map: Record<string, string> = {};
    if (withSecret) {
      map[`${PREFIX}secret`] = 'a-secret-that-is-long-enough-0123456789';
    }
    for (const [k, v] of entries) {
      // Own properties, as a parsed env file or JSON gives them (never the prototype setter).
      Object.defineProperty(map, k, {
        value: v,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return map;
  }),
);

/** Builds and validates; returns the error, or undefined when both succeed. */
async function buildAndValidate(map: Record<string, string>): Promise<unknown> {
  let factory: RedisSessionFactory | undefined;
  try {
    factory = redisSessionFactoryFromSettings(map);
    factory.validate('ns');
    return undefined;
  } catch (error) {
    return error;
  } finally {
    // The store connects lazily; close() releases the client without a round trip.
    await factory?.close();
  }
}

describe('redisSessionFactoryFromSettings (fuzz)', () => {
  describe('when given an arbitrary string map', () => {
    it(
      'should build a factory or throw SessionConfigurationError, never another error',
      async () => {
        await checkProperty(
          'settings map: builds or throws SessionConfigurationError',
          fc.asyncProperty(settings, async (map) => {
            const error = await buildAndValidate(map);
            return error === undefined || error instanceof SessionConfigurationError;
          }),
        );
      },
      FUZZ_TIMEOUT_MS,
    );
  });

  describe('when the map has __proto__, constructor or prototype keys and values', () => {
    it(
      'should leave every shared prototype untouched',
      async () => {
        await checkProperty(
          'settings map: no prototype is polluted',
          fc.asyncProperty(settings, async (map) => {
            await buildAndValidate(map);
            return prototypesUntouched();
          }),
        );
      },
      FUZZ_TIMEOUT_MS,
    );
  });
});
