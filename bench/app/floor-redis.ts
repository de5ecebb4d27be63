import { Controller, Get, HttpCode, Post, type Type } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { RedisClientType } from 'redis';
import { addSessionRouteMachinery } from './nest-machinery';

/** The body of every /none and /prime response, as in the other variants. */
const NONE = { ok: true };

/** Seconds a record lives, as ours-redis-trigger writes it (timeout 1200 s). */
const TTL = 1200;

/** A record shaped like the one ours-redis-trigger stores: payload, created, version, expiry. */
interface FloorRecord {
  m: { counter?: number };
  c: number;
  v: number;
  x: number;
}

function record(counter: number, created = Math.floor(Date.now() / 1000)): string {
  return JSON.stringify({ m: { counter }, c: created, v: 1, x: created + TTL });
}

/**
 * The floor of a Redis session (variants floor-redis-read and floor-redis-write): bare's routes,
 * plus the least any Redis-backed session must do, over the node-redis client the ours-redis
 * variants use (bench/app/ours-redis.ts). The key and value have the shape and size of the record
 * ours-redis-trigger writes (`bench:<variant>:<43-character id>`, about 55 bytes of JSON), so
 * Redis and the client move the same bytes. The key is fixed per process, so the floor parses no
 * cookie and verifies no signature:
 *
 * - `GET /read`: one `GET`, the record parsed, its counter returned;
 * - `POST /write`: one `GET`, then one `SET key value EX 1200` once the `GET` has answered
 *   (sequential, as a session is read and then saved), the counter incremented;
 * - `POST /prime`: writes the record with counter 1 (the bench's session check reads it back).
 *
 * `intercepted` (the `-intercepted` variants) gives /read and /write the interceptor and parameter
 * machinery of a session route, and nothing else.
 */
export function floorRedisController(
  client: RedisClientType,
  prefix: string,
  intercepted = false,
): Type {
  const key = `${prefix}${randomBytes(32).toString('base64url')}`;

  async function load(): Promise<FloorRecord | undefined> {
    const text = await client.get(key);
    return text === null ? undefined : (JSON.parse(text) as FloorRecord);
  }

  @Controller()
  class FloorRedisController {
    @Get('none')
    none(): object {
      return NONE;
    }

    @Get('read')
    async read(zero = 0): Promise<object> {
      return { counter: ((await load())?.m.counter ?? 0) + zero };
    }

    @Post('write')
    @HttpCode(200)
    async write(zero = 0): Promise<object> {
      const current = await load();
      const counter = (current?.m.counter ?? 0) + 1 + zero;
      await client.set(key, record(counter, current?.c), { EX: TTL });
      return { counter };
    }

    @Post('prime')
    @HttpCode(200)
    async prime(): Promise<object> {
      await client.set(key, record(1), { EX: TTL });
      return NONE;
    }
  }
  if (intercepted) {
    addSessionRouteMachinery(FloorRedisController, 'read');
    addSessionRouteMachinery(FloorRedisController, 'write');
  }
  return FloorRedisController;
}
