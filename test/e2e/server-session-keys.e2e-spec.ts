import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Redis } from 'ioredis';
import request from 'supertest';
import { RedisSessionFactory } from '../../src/factories/redis-session.factory';
import { ServerSessionFactory } from '../../src/factories/server-session.factory';
import { FileStore } from '../../src/stores/file.store';
import { MemoryStore } from '../../src/stores/memory.store';
import { createTestApp, SECRET_A, SECRET_B } from '../support/create-test-app';
import { CookieJar, cookieValue } from '../support/cookie-jar';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { idFromCookie, ServerSessionController } from './server-session-fixtures';

/** Sessions created per namespace before the scan. */
const SESSIONS = 12;

describe('Server-side session keys (no raw id in Redis keys or file names)', () => {
  let server: RedisServer;
  let raw: Redis;
  let directory: string;
  let app: INestApplication;
  const ids: string[] = [];
  const cookieValues: string[] = [];

  beforeAll(async () => {
    server = await startRedisServer();
    raw = new Redis(server.port, '127.0.0.1');
    directory = mkdtempSync(join(tmpdir(), 'nsm-keys-'));
    app = await createTestApp({
      sessions: [
        {
          namespace: 'redis',
          factory: new RedisSessionFactory({
            redis: { url: server.url, prefix: 'sess:' },
            secret: SECRET_A,
            cookieName: 'r',
          }),
        },
        {
          namespace: 'file',
          factory: new ServerSessionFactory({
            store: new FileStore({ directory }),
            secret: SECRET_B,
            cookieName: 'f',
          }),
        },
        {
          namespace: 'memory',
          factory: new ServerSessionFactory({
            store: new MemoryStore(),
            secret: SECRET_B,
            cookieName: 'm',
          }),
        },
      ],
      controllers: [ServerSessionController],
    });
    const http = () => request(app.getHttpServer());
    for (let i = 0; i < SESSIONS; i++) {
      for (const [ns, cookie] of [
        ['redis', 'r'],
        ['file', 'f'],
      ] as const) {
        const created = await http()
          .post(`/s/${ns}`)
          .send({ user: `u${i}` })
          .expect(200);
        ids.push(idFromCookie(created, cookie));
        cookieValues.push(cookieValue(created, cookie));
        if (i % 3 === 0) {
          // Regenerated and invalidated sessions must not leave raw ids behind either.
          const jar = new CookieJar().store(created);
          const regenerated = await http()
            .post(`/s/${ns}/regenerate`)
            .set('Cookie', jar.header())
            .expect(200);
          ids.push(idFromCookie(regenerated, cookie));
        }
      }
    }
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    raw?.disconnect();
    await server?.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  async function scanAll(): Promise<string[]> {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = (await raw.call('SCAN', cursor, 'COUNT', '1000')) as [string, string[]];
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    return keys;
  }

  describe('when sessions were created and regenerated on Redis', () => {
    it('should store them under hashed keys that contain no session id', async () => {
      const keys = await scanAll();
      expect(keys.length).toBeGreaterThanOrEqual(SESSIONS);
      for (const key of keys) {
        expect(key).toMatch(/^sess:[A-Za-z0-9_-]{43}$/);
        for (const id of ids) {
          expect(key).not.toContain(id);
        }
      }
    });

    it('should give every key a TTL (R35)', async () => {
      for (const key of await scanAll()) {
        expect(await raw.ttl(key)).toBeGreaterThan(0);
      }
    });
  });

  describe('when sessions were created and regenerated in a FileStore', () => {
    it('should name files after hashes, never after a session id or cookie value', () => {
      const names = readdirSync(directory);
      expect(names.length).toBeGreaterThanOrEqual(SESSIONS);
      for (const name of names) {
        for (const secret of [...ids, ...cookieValues]) {
          expect(name).not.toContain(secret);
        }
        const content = readFileSync(join(directory, name), 'utf8');
        for (const id of ids) {
          expect(content).not.toContain(id);
        }
      }
    });
  });

  describe('when the same sessions are read back', () => {
    it('should find them through the cookie in every store', async () => {
      const http = () => request(app.getHttpServer());
      for (const ns of ['redis', 'file', 'memory']) {
        const cookie = ns[0]!;
        const created = await http().post(`/s/${ns}`).send({ ok: ns }).expect(200);
        const jar = new CookieJar().store(created);
        const read = await http().get(`/s/${ns}`).set('Cookie', jar.header()).expect(200);
        expect(read.body).toEqual({ isNew: false, data: { ok: ns } });
        expect(idFromCookie(created, cookie)).toMatch(/^[A-Za-z0-9_-]{43}$/);
      }
    });
  });
});
