import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'node:net';
import { freePort } from './free-port';

/** A private redis-server for one test file: free loopback port, no persistence, temp dir. */
export interface RedisServer {
  readonly port: number;
  readonly url: string;
  readonly process: ChildProcess;
  readonly dir: string;
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

async function waitForPing(port: number, deadline: number): Promise<void> {
  for (;;) {
    try {
      const reply = await rawCommand(port, ['PING'], 500);
      if (reply.startsWith('+PONG')) {
        return;
      }
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      throw new Error(`redis-server on port ${port} did not answer PING`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Starts `redis-server` with extra arguments (e.g. ['--cluster-enabled', 'yes']). */
export async function startRedisServer(extraArgs: string[] = []): Promise<RedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'nsm-redis-'));
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
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitForPing(port, Date.now() + 10000);
  const server: RedisServer = {
    port,
    url: `redis://127.0.0.1:${port}`,
    process: child,
    dir,
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
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGCONT');
        child.kill('SIGKILL');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return server;
}
