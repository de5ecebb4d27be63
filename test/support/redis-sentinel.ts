import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './free-port';
import { killSpawned, startRedisServer, type RedisServer } from './redis-server';
import { respCall, respCallOk } from './resp';
import {
  assertRunning,
  serverTempDir,
  trackSpawned,
  type SpawnedProcess,
  type WatchedProcess,
} from './spawned-processes';

/**
 * How long the replica may take to sync and the sentinels to find each other once the servers
 * run (each server also has SERVER_START_TIMEOUT_MS to answer PING). Hooks that start a setup
 * allow 90 s.
 */
export const SENTINEL_READY_TIMEOUT_MS = 25_000;

/** A private Sentinel setup: 1 master, 1 replica, 3 sentinels with quorum 2 (recipe D3). */
export interface RedisSentinelSetup {
  /** Sentinel addresses for `RedisStore({ sentinels, name })`. */
  readonly sentinels: Array<{ host: string; port: number }>;
  /** The monitored master name. */
  readonly masterName: string;
  /** The data servers (the first is the master at start; the drill adds a replica). */
  readonly servers: RedisServer[];
  /** The data server the sentinels currently name as master. */
  currentMaster(): Promise<RedisServer>;
  /**
   * Forces a failover (`SENTINEL FAILOVER`) and waits until every sentinel names the same other
   * server and that server reports `role:master`. Resolves with the new master.
   */
  failover(): Promise<RedisServer>;
  /** Kills sentinels and servers and removes their directories. */
  stop(): Promise<void>;
}

const MASTER_NAME = 'mymaster';

/** Polls `check` until it holds; fails at once when one of `watched` ends, with its output. */
async function until(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
  watched: readonly WatchedProcess[] = [],
  deadline = Date.now() + timeoutMs,
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
      throw new Error(`Redis sentinel: ${what} did not happen within ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface SentinelProcess extends WatchedProcess {
  port: number;
  spawned: SpawnedProcess;
}

function startSentinel(port: number, dir: string, masterPort: number): SentinelProcess {
  const conf = join(dir, `sentinel-${port}.conf`);
  writeFileSync(
    conf,
    [
      `port ${port}`,
      'bind 127.0.0.1',
      `dir ${dir}`,
      `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${masterPort} 2`,
      `sentinel down-after-milliseconds ${MASTER_NAME} 1000`,
      `sentinel failover-timeout ${MASTER_NAME} 5000`,
      `sentinel parallel-syncs ${MASTER_NAME} 1`,
      '',
    ].join('\n'),
  );
  // `redis-server <conf> --sentinel` is `redis-sentinel <conf>`, which is not always installed.
  const spawned = trackSpawned(
    spawn('redis-server', [conf, '--sentinel'], { stdio: ['ignore', 'pipe', 'pipe'] }),
  );
  return {
    name: `sentinel on port ${port}`,
    port,
    spawned,
    ended: spawned.ended,
    output: spawned.output,
  };
}

async function masterPortSeenBy(sentinelPort: number): Promise<number> {
  const reply = await respCallOk(sentinelPort, [
    'SENTINEL',
    'GET-MASTER-ADDR-BY-NAME',
    MASTER_NAME,
  ]);
  return Number((reply as string[])[1]);
}

async function role(port: number): Promise<string> {
  const reply = await respCallOk(port, ['ROLE']);
  return String((reply as unknown[])[0]);
}

/**
 * Starts a master, a replica of it and three sentinels (quorum 2) on free loopback ports, and
 * waits until the replica is in sync and every sentinel knows the master, the replica and the
 * two other sentinels (so a failover can be elected). Takes a few seconds.
 */
export async function startRedisSentinel(): Promise<RedisSentinelSetup> {
  const servers: RedisServer[] = [];
  const sentinels: SentinelProcess[] = [];
  const dir = serverTempDir('nsm-sentinel-');
  const stop = async () => {
    await Promise.all(sentinels.map((s) => killSpawned(s.spawned)));
    await Promise.all(servers.map((s) => s.stop()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // Diskless sync otherwise waits 5 s for more replicas before each full sync.
    const noSyncDelay = ['--repl-diskless-sync-delay', '0'];
    const master = await startRedisServer(noSyncDelay);
    servers.push(master);
    servers.push(
      await startRedisServer([...noSyncDelay, '--replicaof', '127.0.0.1', String(master.port)]),
    );
    const deadline = Date.now() + SENTINEL_READY_TIMEOUT_MS;
    const watched = (): WatchedProcess[] => [
      ...servers.map((s) => ({
        name: `redis-server on port ${s.port}`,
        ended: s.ended,
        output: s.output,
      })),
      ...sentinels,
    ];
    await until(
      'replica in sync',
      async () =>
        /slave0:.*state=online/.test(
          String(await respCallOk(master.port, ['INFO', 'replication'])),
        ),
      SENTINEL_READY_TIMEOUT_MS,
      watched(),
      deadline,
    );
    for (let i = 0; i < 3; i++) {
      sentinels.push(startSentinel(await freePort(), dir, master.port));
    }
    for (const s of sentinels) {
      await until(
        `sentinel on port ${s.port} ready`,
        async () => {
          const replicas = await respCallOk(s.port, ['SENTINEL', 'REPLICAS', MASTER_NAME]);
          const peers = await respCallOk(s.port, ['SENTINEL', 'SENTINELS', MASTER_NAME]);
          return (
            (await masterPortSeenBy(s.port)) === master.port &&
            (replicas as unknown[]).length === 1 &&
            (peers as unknown[]).length === 2
          );
        },
        SENTINEL_READY_TIMEOUT_MS,
        watched(),
        deadline,
      );
    }
  } catch (error) {
    await stop();
    throw error;
  }

  const currentMaster = async () => {
    const port = await masterPortSeenBy(sentinels[0]!.port);
    const server = servers.find((s) => s.port === port);
    if (server === undefined) {
      throw new Error(`sentinels name an unknown master port ${port}`);
    }
    return server;
  };

  return {
    sentinels: sentinels.map((s) => ({ host: '127.0.0.1', port: s.port })),
    masterName: MASTER_NAME,
    servers,
    currentMaster,
    failover: async () => {
      const before = await currentMaster();
      await until(
        'SENTINEL FAILOVER accepted',
        async () =>
          !(
            (await respCall(sentinels[0]!.port, ['SENTINEL', 'FAILOVER', MASTER_NAME])) instanceof
            Error
          ),
        10000,
      );
      // Sentinel promotes whichever replica it prefers: any server but the old master will do.
      let after: RedisServer | undefined;
      await until(
        `failover away from port ${before.port}`,
        async () => {
          const ports = await Promise.all(sentinels.map((s) => masterPortSeenBy(s.port)));
          after = servers.find((s) => s.port === ports[0]);
          return (
            after !== undefined &&
            after !== before &&
            ports.every((port) => port === after!.port) &&
            (await role(after.port)) === 'master'
          );
        },
        20000,
      );
      return after!;
    },
    stop,
  };
}
