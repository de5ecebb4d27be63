import type {
  NodeRedisClient,
  RedisCommands,
  RedisWrite,
  ReplicaWait,
  SetCondition,
} from './redis-commands';
import { withScriptFallback, type RedisScript } from './redis-scripts';

/** `{ keys, arguments }` of node-redis `evalSha` / `eval`. */
interface ScriptOptions {
  keys: string[];
  arguments: string[];
}

/** The part of a node-redis `multi()` the store uses; it is sent with `execAsPipeline()`. */
interface Pipeline {
  set(key: string, value: string, options?: { EX?: number; NX?: boolean }): Pipeline;
  del(key: string): Pipeline;
  evalSha(sha: string, options: ScriptOptions): Pipeline;
  eval(source: string, options: ScriptOptions): Pipeline;
  wait(replicas: number, timeoutMs: number): Pipeline;
  execAsPipeline(): Promise<unknown[]>;
}

/** The optional node-redis methods of {@link NodeRedisClient}, with the shapes the store uses. */
interface FullClient extends NodeRedisClient {
  evalSha(sha: string, options: ScriptOptions): Promise<unknown>;
  eval(source: string, options: ScriptOptions): Promise<unknown>;
  sMembers(key: string): Promise<unknown[]>;
  sRem(key: string, members: string[]): Promise<unknown>;
  unlink(keys: string | string[]): Promise<unknown>;
  scan(
    cursor: string,
    options: { MATCH: string; COUNT: number; TYPE?: string },
  ): Promise<{ cursor: string | number; keys: unknown[] }>;
  multi(): Pipeline;
  /** Cluster only. */
  readonly masters?: readonly unknown[];
  nodeClient?(node: unknown): Promise<FullClient>;
}

/**
 * The commands over a node-redis client the application passed in. Options are given in the
 * `{ EX, NX }` form that v4 and v5 both accept. node-redis writes every command issued in one
 * event-loop turn in one socket write, so `GET` + `EXPIRE` issued together share a round trip.
 * @internal
 */
export function nodeRedisCommands(client: NodeRedisClient): RedisCommands {
  const full = client as FullClient;
  const isCluster = Array.isArray(full.masters) && typeof full.nodeClient === 'function';
  return {
    get: (key) => client.get(key).then(text),
    getex: (key, seconds) => client.getEx(key, { EX: seconds }).then(text),
    getThenExpire: (key, seconds) => {
      const read = client.get(key);
      const expire = client.expire(key, seconds);
      return Promise.all([read, expire]).then(([value]) => text(value));
    },
    set: (key, value, seconds, condition) =>
      client.set(key, value, setOptions(seconds, condition)).then(isOk),
    expire: (key, seconds) => client.expire(key, seconds),
    del: (key) => client.del(key),
    exists: (key) => client.exists(key).then(Number),
    writeAndWait: (write, wait) => writeAndWait(full, write, wait),
    runScript: (key, script, args) =>
      withScriptFallback((withSource) =>
        withSource
          ? full.eval(script.source, { keys: [key], arguments: args })
          : full.evalSha(script.sha, { keys: [key], arguments: args }),
      ),
    smembers: async (key) => (await full.sMembers(key)).map((m) => text(m) ?? ''),
    srem: (key, members) => full.sRem(key, members),
    scan: (pattern, count, type) => scanMasters(full, isCluster, pattern, count, type),
    // A multi-key UNLINK must stay in one slot; per key, node-redis routes each to its node.
    unlink: (keys) =>
      isCluster ? Promise.all(keys.map((key) => full.unlink(key))) : full.unlink(keys),
  };
}

/** The write then `WAIT` on one connection, sent as a pipeline (no MULTI: WAIT would not block). */
async function writeAndWait(client: FullClient, write: RedisWrite, wait: ReplicaWait) {
  const send = (withSource: boolean) =>
    add(client.multi(), write, withSource).wait(wait.min, wait.timeoutMs).execAsPipeline();
  const replies = await withScriptFallback(async (withSource) => {
    try {
      return await send(withSource);
    } catch (error) {
      throw firstFailure(error);
    }
  });
  return { reply: replies[0], replicas: Number(replies[1]) };
}

function add(pipeline: Pipeline, write: RedisWrite, withSource: boolean): Pipeline {
  switch (write.kind) {
    case 'set':
      return pipeline.set(write.key, write.value, setOptions(write.seconds, write.condition));
    case 'del':
      return pipeline.del(write.key);
    case 'script':
      return scriptCall(pipeline, write.script, write.key, write.args, withSource);
  }
}

function scriptCall(
  pipeline: Pipeline,
  script: RedisScript,
  key: string,
  args: string[],
  withSource: boolean,
): Pipeline {
  const options = { keys: [key], arguments: args };
  return withSource ? pipeline.eval(script.source, options) : pipeline.evalSha(script.sha, options);
}

/** node-redis reports a failed pipeline command as one error holding every reply. */
function firstFailure(error: unknown): unknown {
  const multi = error as { replies?: unknown[]; errorIndexes?: number[] } | null;
  const index = multi?.errorIndexes?.[0];
  return index === undefined ? error : multi?.replies?.[index];
}

async function* scanMasters(
  client: FullClient,
  isCluster: boolean,
  pattern: string,
  count: number,
  type: string | undefined,
): AsyncIterable<string[]> {
  const nodes = isCluster
    ? await Promise.all((client.masters ?? []).map((m) => client.nodeClient!(m)))
    : [client];
  for (const node of nodes) {
    let cursor = '0';
    do {
      const options = {
        MATCH: pattern,
        COUNT: count,
        ...(type === undefined ? {} : { TYPE: type }),
      };
      const reply = await node.scan(cursor, options);
      cursor = String(reply.cursor);
      yield reply.keys.map((k) => text(k) ?? '');
    } while (cursor !== '0');
  }
}

function setOptions(seconds: number | undefined, condition: SetCondition) {
  const options: { EX?: number; NX?: boolean; XX?: boolean } = {};
  if (seconds !== undefined) {
    options.EX = seconds;
  }
  if (condition !== undefined) {
    options[condition] = true;
  }
  return options;
}

function isOk(reply: unknown): boolean {
  return reply === 'OK';
}

/** A bulk reply as text: `undefined` for a missing key, a Buffer (a `typeMapping` client) decoded. */
function text(reply: unknown): string | undefined {
  if (reply === null || reply === undefined) {
    return undefined;
  }
  if (typeof reply === 'string') {
    return reply;
  }
  if (Buffer.isBuffer(reply)) {
    return reply.toString('utf8');
  }
  throw new TypeError(
    `RedisStore: the node-redis client answered with ${typeof reply} where a string was expected. Pass a client whose typeMapping returns strings or Buffers for bulk strings.`,
  );
}
