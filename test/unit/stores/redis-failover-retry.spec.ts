import type { RedisWrite } from '../../../src/stores/redis-commands';
import { payloadFingerprint } from '../../../src/stores/payload-fingerprint';
import { asRetry, retryableDuringFailover } from '../../../src/stores/redis-failover-retry';
import {
  FailoverInProgressError,
  InsufficientReplicasError,
} from '../../../src/stores/redis-replicas.error';
import { INDEX_ADD_SCRIPT, REPLACE_SCRIPT } from '../../../src/stores/redis-scripts';
import { startRedisServer, type RedisServer } from '../../support/redis-server';
import { respCall } from '../../support/resp';

const set = (condition?: 'NX' | 'XX'): RedisWrite => ({
  kind: 'set',
  key: 'k',
  value: 'v',
  seconds: 60,
  condition,
});
const replace: RedisWrite = {
  kind: 'script',
  key: 'k',
  script: REPLACE_SCRIPT,
  args: ['v', 'f', ''],
};
const del: RedisWrite = { kind: 'del', key: 'k' };

const READONLY = new Error("READONLY You can't write against a read only replica.");
const ABORTED = Object.assign(new Error('Command aborted due to connection close'), {
  name: 'AbortError',
});
const MAX_RETRIES = new Error(
  'Reached the max retries per request limit (which is 1). Refer to "maxRetriesPerRequest" option for details.',
);
const REFUSED = new Error('connect ECONNREFUSED 127.0.0.1:6390');
const FENCED = new FailoverInProgressError('RedisStore', 'replace');
const REPLICAS = new InsufficientReplicasError('RedisStore', 'set', 1, 0, 50);

describe('retryableDuringFailover', () => {
  it.each([READONLY, new Error('LOADING Redis is loading'), new Error('MASTERDOWN Link down')])(
    'should retry every write the server refused without running it (%s)',
    (error) => {
      for (const write of [set(), set('NX'), set('XX'), replace, del]) {
        expect(retryableDuringFailover(write, error)).toBe(true);
      }
    },
  );

  it.each([ABORTED, MAX_RETRIES, REFUSED, FENCED])(
    'should retry only writes that cannot apply twice when one may have run unconfirmed (%s)',
    (error) => {
      expect(retryableDuringFailover(set(), error)).toBe(true);
      expect(retryableDuringFailover(set('XX'), error)).toBe(true);
      expect(retryableDuringFailover(replace, error)).toBe(true);
      expect(retryableDuringFailover(set('NX'), error)).toBe(false);
      expect(retryableDuringFailover(del, error)).toBe(false);
      const index: RedisWrite = { ...replace, script: INDEX_ADD_SCRIPT };
      expect(retryableDuringFailover(index, error)).toBe(false);
    },
  );

  it.each([REPLICAS, new Error('ERR wrong number of arguments'), 'READONLY as a string', null])(
    'should not retry anything else (%s)',
    (error) => {
      expect(retryableDuringFailover(set(), error)).toBe(false);
      expect(retryableDuringFailover(replace, error)).toBe(false);
    },
  );
});

describe('the replace script sent again after a failover', () => {
  let server: RedisServer;
  const key = 'retry:k';
  const run = (write: RedisWrite) =>
    respCall(server.port, [
      'EVAL',
      REPLACE_SCRIPT.source,
      '1',
      key,
      ...(write as { args: string[] }).args,
    ]);
  const write = (value: string, read: string): RedisWrite => ({
    ...replace,
    key,
    args: [value, payloadFingerprint(read), ''],
  });

  beforeAll(async () => {
    server = await startRedisServer();
  }, 20000);
  afterAll(() => server.stop());

  it('should write when the first attempt already wrote the same value', async () => {
    await respCall(server.port, ['SET', key, 'new']);
    expect(await run(write('new', 'old'))).toEqual([2, 'new']);
    expect(await run(asRetry(write('new', 'old')))).toEqual([1]);
    expect(await respCall(server.port, ['GET', key])).toBe('new');
  });

  it('should still refuse a newer write by someone else', async () => {
    await respCall(server.port, ['SET', key, 'theirs']);
    expect(await run(asRetry(write('new', 'old')))).toEqual([2, 'theirs']);
    expect(await respCall(server.port, ['GET', key])).toBe('theirs');
  });

  it('should write over the value it read, like the first attempt', async () => {
    await respCall(server.port, ['SET', key, 'old']);
    expect(await run(asRetry(write('new', 'old')))).toEqual([1]);
    expect(await respCall(server.port, ['GET', key])).toBe('new');
  });

  it('should leave a set alone', () => {
    expect(asRetry(set())).toEqual(set());
  });
});
