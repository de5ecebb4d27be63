import { createConnection, type Socket } from 'node:net';
import type { RedisSentinelSetup } from './redis-sentinel';
import { startRedisServer, type RedisServer } from './redis-server';
import { respCall } from './resp';

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) {
        return;
      }
    } catch {
      // not there yet
    }
    if (Date.now() > deadline) {
      throw new Error(`Sentinel drill: ${what} did not happen within ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Times at which any sentinel published `+switch-master` (raw SUBSCRIBE connections). */
export interface SwitchMasterWatch {
  /** Epoch ms of every `+switch-master` message, earliest sentinel first per failover. */
  readonly seen: number[];
  /** The first switch seen after `since` (epoch ms). */
  next(since: number, timeoutMs: number): Promise<number>;
  close(): void;
}

const SWITCH_MESSAGE = '$7\r\nmessage\r\n$14\r\n+switch-master\r\n';

/** Subscribes to `+switch-master` on every sentinel of the setup. */
export async function watchSwitchMaster(setup: RedisSentinelSetup): Promise<SwitchMasterWatch> {
  const seen: number[] = [];
  const sockets: Socket[] = await Promise.all(
    setup.sentinels.map(
      ({ host, port }) =>
        new Promise<Socket>((resolve, reject) => {
          const socket = createConnection({ host, port });
          let subscribed = false;
          socket.on('error', reject);
          socket.on('data', (chunk) => {
            const text = chunk.toString('utf8');
            if (!subscribed && text.includes('subscribe')) {
              subscribed = true;
              resolve(socket);
            }
            for (let at = text.indexOf(SWITCH_MESSAGE); at >= 0;) {
              seen.push(Date.now());
              at = text.indexOf(SWITCH_MESSAGE, at + 1);
            }
          });
          socket.write('*2\r\n$9\r\nSUBSCRIBE\r\n$14\r\n+switch-master\r\n');
        }),
    ),
  );
  return {
    seen,
    next: async (since, timeoutMs) => {
      await until('+switch-master', () => Promise.resolve(seen.some((t) => t >= since)), timeoutMs);
      return Math.min(...seen.filter((t) => t >= since));
    },
    close: () => sockets.forEach((s) => s.destroy()),
  };
}

/** Replicas of `master` that are online (`INFO replication`). */
export async function onlineReplicas(master: RedisServer): Promise<number> {
  const info = String(await respCall(master.port, ['INFO', 'replication']));
  return (info.match(/slave\d+:.*state=online/g) ?? []).length;
}

/**
 * Starts one more replica of the current master and waits until the master serves it and every
 * sentinel lists it, so a failover can promote one replica while the other keeps confirming writes.
 */
export async function addReplica(setup: RedisSentinelSetup): Promise<RedisServer> {
  const master = await setup.currentMaster();
  const replica = await startRedisServer([
    '--repl-diskless-sync-delay',
    '0',
    '--replicaof',
    '127.0.0.1',
    String(master.port),
  ]);
  setup.servers.push(replica);
  await until('replica online', async () => (await onlineReplicas(master)) >= 2, 10000);
  await until(
    'every sentinel lists two replicas',
    async () => {
      for (const { port } of setup.sentinels) {
        const list = await respCall(port, ['SENTINEL', 'REPLICAS', setup.masterName]);
        if (!Array.isArray(list) || list.length < 2) {
          return false;
        }
      }
      return true;
    },
    20000,
  );
  return replica;
}

/** Waits until the current master has `count` online replicas (after a failover settles). */
export async function settled(setup: RedisSentinelSetup, count: number): Promise<RedisServer> {
  let master: RedisServer | undefined;
  await until(
    `master with ${count} online replicas`,
    async () => {
      master = await setup.currentMaster();
      return (await onlineReplicas(master)) >= count;
    },
    30000,
  );
  return master!;
}

/** One answered request of the drill. */
export interface DrillReply {
  readonly user: number;
  readonly value: number;
  readonly started: number;
  readonly ended: number;
  readonly status: number;
}

/** What the load saw: every reply, and per user the last value a 2xx confirmed. */
export interface DrillLoad {
  readonly replies: DrillReply[];
  readonly acknowledged: number[];
  stop(): Promise<void>;
}

/**
 * `users` concurrent loops, each writing an increasing counter with `write(user, value)` (which
 * resolves with the HTTP status) and pausing `pauseMs` between requests.
 */
export function startLoad(
  users: number,
  pauseMs: number,
  write: (user: number, value: number) => Promise<number>,
  firstValue = 1,
): DrillLoad {
  const replies: DrillReply[] = [];
  const acknowledged = Array.from({ length: users }, () => 0);
  let running = true;
  const loops = acknowledged.map(async (_, user) => {
    for (let value = firstValue; running; value++) {
      const started = Date.now();
      const status = await write(user, value).catch(() => 0);
      replies.push({ user, value, started, ended: Date.now(), status });
      if (status >= 200 && status < 300) {
        acknowledged[user] = value;
      }
      await new Promise((r) => setTimeout(r, pauseMs));
    }
  });
  return {
    replies,
    acknowledged,
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}

/** The figures the drill reports for one failover. */
export interface DrillFigures {
  readonly requests: number;
  readonly ok: number;
  readonly failed: number;
  /** First failed reply's start to the last failed reply's end, ms (0 when none failed). */
  readonly failingSpanMs: number;
  /** First failed reply's end to the end of the first 2xx that started after it and after the
   * switch, ms (0 when none failed): how long users saw errors. */
  readonly errorWindowMs: number;
  /** From `+switch-master` to the end of the first 2xx whose request started after it, ms. */
  readonly switchToFirstOkMs: number;
  /** The slowest request, ms (writes held across a switch wait for it). */
  readonly slowestMs: number;
}

const isOk = (r: DrillReply) => r.status >= 200 && r.status < 300;

export function figures(replies: DrillReply[], switchedAt: number): DrillFigures {
  const ok = replies.filter(isOk);
  const failed = replies.filter((r) => !isOk(r));
  const firstOkFrom = (since: number) =>
    Math.min(...ok.filter((r) => r.started >= since).map((r) => r.ended));
  const firstError = Math.min(...failed.map((r) => r.ended));
  return {
    requests: replies.length,
    ok: ok.length,
    failed: failed.length,
    failingSpanMs:
      failed.length === 0
        ? 0
        : Math.max(...failed.map((r) => r.ended)) - Math.min(...failed.map((r) => r.started)),
    errorWindowMs:
      failed.length === 0 ? 0 : firstOkFrom(Math.max(firstError, switchedAt)) - firstError,
    switchToFirstOkMs: firstOkFrom(switchedAt) - switchedAt,
    slowestMs: Math.max(...replies.map((r) => r.ended - r.started)),
  };
}

/** A factory logger that keeps what the factory warns about, with the time (test only). */
export interface DrillLog {
  readonly lines: Array<{ at: number; text: string }>;
  readonly logger: { debug(m: string): void; warn(m: string): void; error(m: string): void };
  /** Outage warnings and recovery lines logged at or after `since` (epoch ms). */
  outageLines(since: number): { outages: string[]; recoveries: string[] };
}

export function drillLog(): DrillLog {
  const lines: Array<{ at: number; text: string }> = [];
  const keep = (text: string) => void lines.push({ at: Date.now(), text });
  return {
    lines,
    logger: { debug: () => undefined, warn: keep, error: keep },
    outageLines: (since) => {
      const texts = lines.filter((l) => l.at >= since).map((l) => l.text);
      return {
        outages: texts.filter((t) => t.includes(' is unavailable (')),
        recoveries: texts.filter((t) => t.includes(' is available again after ')),
      };
    },
  };
}

/** Connection events of a client (close, reconnecting, connect, ready, end), timed. */
export function clientTimeline(client: {
  on(event: string, listener: () => void): unknown;
}): Array<{ at: number; event: string }> {
  const events: Array<{ at: number; event: string }> = [];
  for (const event of ['close', 'reconnecting', 'connect', 'ready', 'end']) {
    client.on(event, () => events.push({ at: Date.now(), event }));
  }
  return events;
}
