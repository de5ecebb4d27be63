import {
  fileHarness,
  freshKey,
  memoryHarness,
  nodeRedisHarness,
  redisHarness,
  sleep,
  type StoreHarness,
} from './store-harness';

/** Long enough for a 1 s TTL to have run out in every store (Redis expires with ms precision). */
const AFTER_ONE_SECOND = 1500;

describe.each<StoreHarness>([memoryHarness(), fileHarness(), redisHarness(), nodeRedisHarness()])(
  'SessionStore contract: $name',
  (harness) => {
    beforeAll(() => harness.start(), 60_000);
    afterAll(() => harness.stop());

    describe('when a key was never written', () => {
      it('should read undefined from get and getAndTouch', async () => {
        const key = freshKey();
        await expect(harness.store.get(key)).resolves.toBeUndefined();
        await expect(harness.store.getAndTouch!(key, 60)).resolves.toBeUndefined();
      });

      it('should not create it on touch or delete', async () => {
        const key = freshKey();
        await harness.store.touch(key, 60);
        await harness.store.delete(key);
        expect(await harness.remainingTtl(key)).toBe(-2);
        await expect(harness.store.get(key)).resolves.toBeUndefined();
      });
    });

    describe('when a value is set', () => {
      it('should read it back and resolve set with true', async () => {
        const key = freshKey();
        await expect(harness.store.set(key, '{"m":{"a":1}}', { ttl: 60 })).resolves.toBe(true);
        await expect(harness.store.get(key)).resolves.toBe('{"m":{"a":1}}');
      });

      it('should replace it on a second set without onlyIfAbsent', async () => {
        const key = freshKey();
        await harness.store.set(key, 'first', { ttl: 60 });
        await expect(harness.store.set(key, 'second', { ttl: 60 })).resolves.toBe(true);
        await expect(harness.store.get(key)).resolves.toBe('second');
      });

      it('should keep large and non-ASCII payloads intact', async () => {
        const key = freshKey();
        const value = JSON.stringify({ text: 'é☃𝄞 "quoted" \\ \n', big: 'x'.repeat(200_000) });
        await harness.store.set(key, value, { ttl: 60 });
        await expect(harness.store.get(key)).resolves.toBe(value);
      });

      it('should be gone after delete', async () => {
        const key = freshKey();
        await harness.store.set(key, 'v', { ttl: 60 });
        await harness.store.delete(key);
        await expect(harness.store.get(key)).resolves.toBeUndefined();
        expect(await harness.remainingTtl(key)).toBe(-2);
      });
    });

    describe('when onlyIfAbsent is set', () => {
      it('should write a new key and resolve true', async () => {
        const key = freshKey();
        await expect(harness.store.set(key, 'a', { ttl: 60, onlyIfAbsent: true })).resolves.toBe(
          true,
        );
        await expect(harness.store.get(key)).resolves.toBe('a');
      });

      it('should resolve false and leave an existing value untouched', async () => {
        const key = freshKey();
        await harness.store.set(key, 'a', { ttl: 60 });
        await expect(harness.store.set(key, 'b', { ttl: 60, onlyIfAbsent: true })).resolves.toBe(
          false,
        );
        await expect(harness.store.get(key)).resolves.toBe('a');
      });

      it('should write again once the old key was deleted', async () => {
        const key = freshKey();
        await harness.store.set(key, 'a', { ttl: 60, onlyIfAbsent: true });
        await harness.store.delete(key);
        await expect(harness.store.set(key, 'b', { ttl: 60, onlyIfAbsent: true })).resolves.toBe(
          true,
        );
      });
    });

    describe('when the TTL runs out', () => {
      it('should read undefined and accept an onlyIfAbsent write', async () => {
        const key = freshKey();
        await harness.store.set(key, 'short', { ttl: 1 });
        await sleep(AFTER_ONE_SECOND);
        await expect(harness.store.get(key)).resolves.toBeUndefined();
        await expect(harness.store.set(key, 'new', { ttl: 60, onlyIfAbsent: true })).resolves.toBe(
          true,
        );
        await expect(harness.store.get(key)).resolves.toBe('new');
      });
    });

    describe('when a key is touched before it expires', () => {
      it('should outlive its first TTL (touch)', async () => {
        const key = freshKey();
        await harness.store.set(key, 'kept', { ttl: 1 });
        await harness.store.touch(key, 60);
        await sleep(AFTER_ONE_SECOND);
        await expect(harness.store.get(key)).resolves.toBe('kept');
        expect(await harness.remainingTtl(key)).toBeGreaterThan(50_000);
      });

      it('should return the value and outlive its first TTL (getAndTouch)', async () => {
        const key = freshKey();
        await harness.store.set(key, 'kept', { ttl: 1 });
        await expect(harness.store.getAndTouch!(key, 60)).resolves.toBe('kept');
        await sleep(AFTER_ONE_SECOND);
        await expect(harness.store.get(key)).resolves.toBe('kept');
      });
    });

    describe('when no TTL is given (LRU mode)', () => {
      it('should store the key without any expiry', async () => {
        const key = freshKey();
        await harness.store.set(key, 'forever', {});
        expect(await harness.remainingTtl(key)).toBe(-1);
        await expect(harness.store.get(key)).resolves.toBe('forever');
      });

      it('should give the key an expiry again when it is rewritten with a TTL', async () => {
        const key = freshKey();
        await harness.store.set(key, 'forever', {});
        await harness.store.set(key, 'bounded', { ttl: 60 });
        const ttl = await harness.remainingTtl(key);
        expect(ttl).toBeGreaterThan(50_000);
        expect(ttl).toBeLessThanOrEqual(60_000);
      });
    });

    describe('when the TTL is zero or negative', () => {
      it('should delete the key on set', async () => {
        const key = freshKey();
        await harness.store.set(key, 'v', { ttl: 60 });
        await expect(harness.store.set(key, 'w', { ttl: 0 })).resolves.toBe(true);
        expect(await harness.remainingTtl(key)).toBe(-2);
      });

      it('should delete the key on touch', async () => {
        const key = freshKey();
        await harness.store.set(key, 'v', { ttl: 60 });
        await harness.store.touch(key, -5);
        expect(await harness.remainingTtl(key)).toBe(-2);
      });

      it('should delete the key and read undefined on getAndTouch', async () => {
        const key = freshKey();
        await harness.store.set(key, 'v', { ttl: 60 });
        await expect(harness.store.getAndTouch!(key, 0)).resolves.toBeUndefined();
        expect(await harness.remainingTtl(key)).toBe(-2);
      });

      it('should write nothing and report a clash with onlyIfAbsent', async () => {
        const absent = freshKey();
        await expect(harness.store.set(absent, 'v', { ttl: 0, onlyIfAbsent: true })).resolves.toBe(
          true,
        );
        expect(await harness.remainingTtl(absent)).toBe(-2);
        const present = freshKey();
        await harness.store.set(present, 'old', { ttl: 60 });
        await expect(
          harness.store.set(present, 'new', { ttl: -1, onlyIfAbsent: true }),
        ).resolves.toBe(false);
        await expect(harness.store.get(present)).resolves.toBe('old');
      });
    });

    describe('when the TTL is not a finite number', () => {
      it('should reject without writing', async () => {
        const key = freshKey();
        await expect(harness.store.set(key, 'v', { ttl: Number.NaN })).rejects.toThrow(RangeError);
        await expect(harness.store.touch(key, Number.POSITIVE_INFINITY)).rejects.toThrow(
          'Store TTL Infinity is not a finite number of seconds.',
        );
        expect(await harness.remainingTtl(key)).toBe(-2);
      });
    });
  },
);
