import type { RedisCommands, RedisWrite, ReplicaWait, SetCondition } from './redis-commands';
import type { IoredisPipeline } from './redis-ioredis-types';
import { withScriptFallback } from './redis-scripts';

type Arg = string | number;

/**
 * The part of an ioredis `Redis` or `Cluster` the commands use, declared by shape so that only
 * redis.store.ts loads ioredis. Every command goes through `call`, which a Cluster routes by
 * the command's key like the named methods.
 * @internal
 */
export interface IoredisCommandClient {
  readonly isCluster: boolean;
  call(command: string, ...args: Arg[]): Promise<unknown>;
  pipeline(): IoredisPipeline;
}

interface IoredisClusterClient extends IoredisCommandClient {
  nodes(role: 'master'): IoredisCommandClient[];
}

/** The commands over ioredis (the store's own connections, or a client passed in). @internal */
export function ioredisCommands(client: IoredisCommandClient): RedisCommands {
  return {
    get: (key) => client.call('get', key).then(orUndefined),
    getex: (key, seconds) => client.call('getex', key, 'EX', seconds).then(orUndefined),
    getThenExpire: async (key, seconds) => {
      const [read] = await exec(client.pipeline().call('get', key).call('expire', key, seconds));
      return orUndefined(read);
    },
    set: (key, value, seconds, condition) =>
      client.call('set', ...setArgs(key, value, seconds, condition)).then((r) => r === 'OK'),
    expire: (key, seconds) => client.call('expire', key, seconds),
    del: (key) => client.call('del', key),
    exists: (key) => client.call('exists', key).then(Number),
    writeAndWait: (write, wait) => writeAndWait(client, write, wait),
    runScript: (key, script, args) =>
      withScriptFallback((withSource) =>
        withSource
          ? client.call('eval', script.source, 1, key, ...args)
          : client.call('evalsha', script.sha, 1, key, ...args),
      ),
    smembers: (key) => client.call('smembers', key) as Promise<string[]>,
    srem: (key, members) => client.call('srem', key, ...members),
    scan: (pattern, count, type) => scanMasters(client, pattern, count, type),
    // A multi-key UNLINK must stay in one slot; per key, the Cluster routes each to its node
    // (and auto-pipelining still sends the keys of one node together).
    unlink: (keys) =>
      client.isCluster
        ? Promise.all(keys.map((key) => client.call('unlink', key)))
        : client.call('unlink', ...keys),
  };
}

/** The write then `WAIT` as one pipeline: one connection, one round trip, and no MULTI (in a
 * transaction WAIT answers at once instead of waiting). A Cluster sends it to the key's node. */
async function writeAndWait(client: IoredisCommandClient, write: RedisWrite, wait: ReplicaWait) {
  const [reply, replicas] = await withScriptFallback((withSource) => {
    const pipeline = client.pipeline();
    switch (write.kind) {
      case 'set':
        pipeline.call('set', ...setArgs(write.key, write.value, write.seconds, write.condition));
        break;
      case 'del':
        pipeline.call('del', write.key);
        break;
      case 'script':
        if (withSource) {
          pipeline.call('eval', write.script.source, 1, write.key, ...write.args);
        } else {
          pipeline.call('evalsha', write.script.sha, 1, write.key, ...write.args);
        }
    }
    return exec(pipeline.call('wait', wait.min, wait.timeoutMs));
  });
  return { reply, replicas: Number(replicas) };
}

/** Replies of a pipeline; the first failed command's error is thrown. */
async function exec(pipeline: IoredisPipeline): Promise<unknown[]> {
  const results = (await pipeline.exec()) ?? [];
  const failure = results.find(([error]) => error !== null)?.[0];
  if (failure) {
    throw failure;
  }
  return results.map(([, reply]) => reply);
}

async function* scanMasters(
  client: IoredisCommandClient,
  pattern: string,
  count: number,
  type: string | undefined,
): AsyncIterable<string[]> {
  const nodes = client.isCluster ? await clusterMasters(client as IoredisClusterClient) : [client];
  const typeArgs = type === undefined ? [] : ['TYPE', type];
  for (const node of nodes) {
    let cursor = '0';
    do {
      const reply = await node.call('scan', cursor, 'MATCH', pattern, 'COUNT', count, ...typeArgs);
      const [next, keys] = reply as [string, string[]];
      cursor = next;
      yield keys;
    } while (cursor !== '0');
  }
}

/**
 * The masters of a Cluster. One that has not connected yet (the store opens its own with
 * lazyConnect) knows no node until a command connects it and loads the slot map.
 */
async function clusterMasters(cluster: IoredisClusterClient): Promise<IoredisCommandClient[]> {
  let masters = cluster.nodes('master');
  if (masters.length === 0) {
    await cluster.call('ping');
    masters = cluster.nodes('master');
    if (masters.length === 0) {
      throw new Error('the Redis Cluster reports no master node to scan');
    }
  }
  return masters;
}

function setArgs(key: string, value: string, seconds: number | undefined, condition: SetCondition) {
  const args: Arg[] = [key, value];
  if (seconds !== undefined) {
    args.push('EX', seconds);
  }
  if (condition !== undefined) {
    args.push(condition);
  }
  return args;
}

function orUndefined(reply: unknown): string | undefined {
  return (reply as string | null | undefined) ?? undefined;
}
