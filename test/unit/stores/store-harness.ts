import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileStore } from '../../../src/stores/file.store';
import type { MemoryEntries } from '../../../src/stores/memory-entries';
import { MemoryStore } from '../../../src/stores/memory.store';
import { RedisStore } from '../../../src/stores/redis.store';
import type { SessionStore } from '../../../src/stores/session-store.interface';
import { storeKey } from '../../../src/stores/store-key';
import { createClient, type RedisClientType } from 'redis';
import { startRedisServer, type RedisServer } from '../../support/redis-server';
import { respCall } from '../../support/resp';

/** Remaining lifetime of a stored key, as Redis PTTL reports it: ms, -1 = no expiry, -2 = absent. */
export type RemainingTtl = number;

/** One store under test, with a way to look at what it holds from outside its API. */
export interface StoreHarness {
  readonly name: string;
  readonly store: SessionStore;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The remaining TTL of a key, read from the store's backing data (PTTL semantics). */
  remainingTtl(key: string): Promise<RemainingTtl>;
}

let counter = 0;
/** A fresh store key per call, so tests never see each other's data. */
export function freshKey(): string {
  counter += 1;
  return storeKey(`session-id-${process.pid}-${counter}-${Date.now()}`);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function remaining(expiresAt: number | null | undefined): RemainingTtl {
  if (expiresAt === undefined) {
    return -2;
  }
  return expiresAt === null ? -1 : Math.max(0, expiresAt - Date.now());
}

export function memoryHarness(): StoreHarness {
  let store: MemoryStore | undefined;
  return {
    name: 'MemoryStore',
    get store() {
      return store!;
    },
    start: () => {
      store = new MemoryStore();
      return Promise.resolve();
    },
    stop: () => store!.close(),
    remainingTtl: (key) => {
      const entries = (store as unknown as { entries: MemoryEntries }).entries;
      return Promise.resolve(remaining(entries.peek(key)?.expiresAt));
    },
  };
}

export function fileHarness(): StoreHarness {
  let store: FileStore | undefined;
  let dir = '';
  return {
    name: 'FileStore',
    get store() {
      return store!;
    },
    start: () => {
      dir = mkdtempSync(join(tmpdir(), 'nsm-filestore-'));
      store = new FileStore({ directory: join(dir, 'sessions') });
      return Promise.resolve();
    },
    stop: async () => {
      await store!.close();
      rmSync(dir, { recursive: true, force: true });
    },
    remainingTtl: (key) => {
      try {
        const text = readFileSync(join(dir, 'sessions', `${key}.session`), 'utf8');
        return Promise.resolve(remaining((JSON.parse(text) as { expires: number | null }).expires));
      } catch {
        return Promise.resolve(-2);
      }
    },
  };
}

export function redisHarness(): StoreHarness & { server(): RedisServer } {
  let store: RedisStore | undefined;
  let server: RedisServer | undefined;
  return {
    name: 'RedisStore (ioredis)',
    get store() {
      return store!;
    },
    server: () => server!,
    start: async () => {
      server = await startRedisServer();
      store = new RedisStore({ url: server.url });
    },
    stop: async () => {
      await store?.close();
      await server?.stop();
    },
    remainingTtl: async (key) => Number(await respCall(server!.port, ['PTTL', `session:${key}`])),
  };
}

/** RedisStore over a node-redis client the test connects (as an application would pass it). */
export function nodeRedisHarness(): StoreHarness & { server(): RedisServer } {
  let store: RedisStore<RedisClientType> | undefined;
  let client: RedisClientType | undefined;
  let server: RedisServer | undefined;
  return {
    name: 'RedisStore (node-redis client)',
    get store() {
      return store!;
    },
    server: () => server!,
    start: async () => {
      server = await startRedisServer();
      client = createClient({ url: server.url });
      await client.connect();
      store = new RedisStore({ client });
    },
    stop: async () => {
      await store?.close();
      await client?.quit();
      await server?.stop();
    },
    remainingTtl: async (key) => Number(await respCall(server!.port, ['PTTL', `session:${key}`])),
  };
}
