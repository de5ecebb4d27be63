import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { freePort } from './free-port';
import { serverTempDir, trackSpawned, type SpawnedProcess } from './spawned-processes';

/**
 * How long a server may take to answer PING. Hooks that start one allow 60 s, so this error,
 * with the server's output, is what a slow start reports instead of Jest's hook timeout.
 */
export const SERVER_START_TIMEOUT_MS = 15_000;

/** A private redis-server for one test file: free loopback port, no persistence, temp dir. */
export interface RedisServer {
  readonly port: number;
  readonly url: string;
  readonly process: ChildProcess;
  readonly dir: string;
  /** The last 16 KB of the server's stdout and stderr. */
  output(): string;
  /** How the process ended ('exit code 1', 'signal SIGKILL'), or undefined while it runs. */
  ended(): string | undefined;
  /** Sends one command over a raw RESP connection and returns the raw reply text. */
  command(...args: string[]): Promise<string>;
  /** `INFO commandstats` as { get: 3, set: 1, ... } (lower-case command names). */
  commandStats(): Promise<Record<string, number>>;
  /** Resets the counters (`CONFIG RESETSTAT`). */
  resetStats(): Promise<void>;
  /** Freezes the server (SIGSTOP), to test deadlines. */
  freeze(): void;
  /** Resumes a frozen server (SIGCONT). */
  thaw(): void;
  stop(): Promise<void>;
}

function encode(args: string[]): string {
  return `*${args.length}\r\n` + args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('');
}

/** One RESP command on a fresh connection; resolves with the reply once it is complete. */
export function rawCommand(port: number, args: string[], timeoutMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let data = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`redis ${args[0]} on port ${port} timed out`));
    }, timeoutMs);
    socket.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    socket.on('data', (chunk) => {
      data += chunk.toString('utf8');
      if (replyComplete(data)) {
        clearTimeout(timer);
        socket.end();
        resolve(data);
      }
    });
    socket.write(encode(args));
  });
}

function replyComplete(data: string): boolean {
  if (!data.endsWith('\r\n')) {
    return false;
  }
  if (data[0] === '$') {
    const len = Number(data.slice(1, data.indexOf('\r\n')));
    if (len < 0) {
      return true;
    }
    return Buffer.byteLength(data) >= data.indexOf('\r\n') + 2 + len + 2;
  }
  return true;
}

export function parseCommandStats(info: string): Record<string, number> {
  const stats: Record<string, number> = {};
  for (const line of info.split('\r\n')) {
    const m = /^cmdstat_([^:]+):calls=(\d+)/.exec(line);
    if (m) {
      stats[m[1]!.toLowerCase()] = Number(m[2]);
    }
  }
  return stats;
}

/**
 * Waits until the server answers PING. Fails at once, with the server's output, when the process
 * ends first, and with its output too when the deadline passes.
 */
export async function waitForPing(
  port: number,
  spawned: SpawnedProcess,
  timeoutMs = SERVER_START_TIMEOUT_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ended = spawned.ended();
    if (ended !== undefined) {
      throw new Error(
        `redis-server on port ${port} ended (${ended}) before answering PING. Output:\n${spawned.output()}`,
      );
    }
    try {
      const reply = await rawCommand(port, ['PING'], 500);
      if (reply.startsWith('+PONG')) {
        return;
      }
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      throw new Error(
        `redis-server on port ${port} did not answer PING within ${timeoutMs} ms. Output:\n${spawned.output()}`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Kills a spawned server (a frozen one too) and waits until it has exited. */
export async function killSpawned(spawned: SpawnedProcess): Promise<void> {
  if (spawned.ended() === undefined) {
    spawned.child.kill('SIGCONT');
    spawned.child.kill('SIGKILL');
    await spawned.exited;
  }
}

/** Starts `redis-server` with extra arguments (e.g. ['--cluster-enabled', 'yes']). */
export async function startRedisServer(extraArgs: string[] = []): Promise<RedisServer> {
  // A free port can be taken by another worker before the server binds it: try another one.
  for (let attempt = 1; ; attempt++) {
    try {
      return await spawnRedisServer(extraArgs);
    } catch (error) {
      if (attempt === 3 || !String(error).includes('Address already in use')) {
        throw error;
      }
    }
  }
}

async function spawnRedisServer(extraArgs: string[]): Promise<RedisServer> {
  const port = await freePort();
  const dir = serverTempDir('nsm-redis-');
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
      ...extraArgs,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const spawned = trackSpawned(child);
  try {
    await waitForPing(port, spawned);
  } catch (error) {
    await killSpawned(spawned);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const server: RedisServer = {
    port,
    url: `redis://127.0.0.1:${port}`,
    process: child,
    dir,
    output: () => spawned.output(),
    ended: () => spawned.ended(),
    command: (...args) => rawCommand(port, args),
    commandStats: async () => parseCommandStats(await rawCommand(port, ['INFO', 'commandstats'])),
    resetStats: async () => {
      await rawCommand(port, ['CONFIG', 'RESETSTAT']);
    },
    freeze: () => {
      child.kill('SIGSTOP');
    },
    thaw: () => {
      child.kill('SIGCONT');
    },
    stop: async () => {
      await killSpawned(spawned);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return server;
}
