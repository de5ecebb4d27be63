import { startRedisServer, type RedisServer } from './redis-server';
import { respCall, respCallOk } from './resp';
import { assertRunning, type WatchedProcess } from './spawned-processes';

/**
 * How long the nodes may take to agree on the slots once they run (each node also has
 * SERVER_START_TIMEOUT_MS to answer PING). Hooks that start a cluster allow 90 s.
 */
export const CLUSTER_READY_TIMEOUT_MS = 20_000;

/** A private Redis Cluster: 3 masters, 0 replicas, on free loopback ports (recipe D4). */
export interface RedisCluster {
  /** Seed addresses for `new Cluster(nodes)` / `RedisStore({ cluster: nodes })`. */
  readonly nodes: Array<{ host: string; port: number }>;
  /** The three servers (raw commands, freeze/thaw, commandStats per node). */
  readonly servers: RedisServer[];
  /** `INFO commandstats` summed over every node. */
  commandStats(): Promise<Record<string, number>>;
  /** Resets the counters on every node. */
  resetStats(): Promise<void>;
  /** Every key on every node (`KEYS *`; test data only). */
  keys(): Promise<string[]>;
  /** Kills every node and removes their directories. */
  stop(): Promise<void>;
}

const SLOTS = 16384;

/** Polls `check` until it holds; fails at once when one of `watched` ends, with its output. */
async function until(
  what: string,
  check: () => Promise<boolean>,
  deadline: number,
  watched: readonly WatchedProcess[],
) {
  for (;;) {
    assertRunning(watched);
    try {
      if (await check()) {
        return;
      }
    } catch {
      // not there yet
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Redis cluster: ${what} did not happen within ${CLUSTER_READY_TIMEOUT_MS} ms`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Starts 3 `redis-server --cluster-enabled yes` nodes, gives each a third of the slots
 * (`CLUSTER ADDSLOTSRANGE`), joins them (`CLUSTER MEET`) and waits until every node reports
 * `cluster_state:ok` and knows every slot owner. Takes about a second.
 */
export async function startRedisCluster(): Promise<RedisCluster> {
  const servers: RedisServer[] = [];
  const stop = async () => {
    await Promise.all(servers.map((s) => s.stop()));
  };
  try {
    const started = await Promise.allSettled(
      [0, 1, 2].map(() =>
        startRedisServer([
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          'nodes.conf',
          '--cluster-node-timeout',
          '2000',
        ]),
      ),
    );
    for (const result of started) {
      if (result.status === 'fulfilled') {
        servers.push(result.value);
      }
    }
    const failed = started.find((r) => r.status === 'rejected');
    if (failed !== undefined) {
      throw failed.reason;
    }
    const watched = servers.map((s) => ({
      name: `cluster node redis-server on port ${s.port}`,
      ended: s.ended,
      output: s.output,
    }));
    const per = Math.floor(SLOTS / 3);
    for (const [i, server] of servers.entries()) {
      const first = i * per;
      const last = i === 2 ? SLOTS - 1 : first + per - 1;
      // Distinct epochs, as redis-cli --cluster create sets them, so no collision round is needed.
      await respCallOk(server.port, ['CLUSTER', 'SET-CONFIG-EPOCH', String(i + 1)]);
      await respCallOk(server.port, ['CLUSTER', 'ADDSLOTSRANGE', String(first), String(last)]);
    }
    for (const server of servers.slice(1)) {
      await respCallOk(servers[0]!.port, ['CLUSTER', 'MEET', '127.0.0.1', String(server.port)]);
    }
    const deadline = Date.now() + CLUSTER_READY_TIMEOUT_MS;
    for (const server of servers) {
      await until(
        `cluster_state:ok on port ${server.port}`,
        async () => {
          const info = String(await respCallOk(server.port, ['CLUSTER', 'INFO']));
          const slots = (await respCallOk(server.port, ['CLUSTER', 'SLOTS'])) as unknown[][];
          // Each range is [first, last, [host, port, id], ...replicas].
          const owners = slots.map((range) => (range[2] as unknown[])[1]);
          return (
            info.includes('cluster_state:ok') &&
            info.includes('cluster_known_nodes:3') &&
            servers.every((s) => owners.includes(s.port))
          );
        },
        deadline,
        watched,
      );
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    nodes: servers.map((s) => ({ host: '127.0.0.1', port: s.port })),
    servers,
    commandStats: async () => {
      const total: Record<string, number> = {};
      for (const server of servers) {
        for (const [name, calls] of Object.entries(await server.commandStats())) {
          total[name] = (total[name] ?? 0) + calls;
        }
      }
      return total;
    },
    resetStats: async () => {
      await Promise.all(servers.map((s) => s.resetStats()));
    },
    keys: async () => {
      const replies = await Promise.all(servers.map((s) => respCall(s.port, ['KEYS', '*'])));
      return replies.flatMap((reply) => (Array.isArray(reply) ? (reply as string[]) : []));
    },
    stop,
  };
}
