import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { RedisSessionFactory } from '../../src/factories/redis-session.factory';
import { CookieJar } from '../support/cookie-jar';
import { createTestApp, SECRET_A } from '../support/create-test-app';
import { RaceController, raceRendezvous } from '../support/race-controller';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { ServerSessionController } from './server-session-fixtures';

const PAIRS = 100;

interface Sent {
  key: string;
  value: unknown;
  status: number;
}

describe('RedisSessionFactory onConflict', () => {
  let server: RedisServer;
  let app: INestApplication;

  beforeAll(async () => {
    server = await startRedisServer();
    app = await createTestApp({
      sessions: [
        {
          namespace: 'merge',
          factory: new RedisSessionFactory({
            redis: { url: server.url, prefix: 'merge:' },
            secret: SECRET_A,
            cookieName: 'merge',
          }),
        },
        {
          namespace: 'reject',
          factory: new RedisSessionFactory({
            redis: { url: server.url, prefix: 'reject:' },
            secret: SECRET_A,
            cookieName: 'reject',
            onConflict: 'reject',
          }),
        },
      ],
      controllers: [ServerSessionController, RaceController],
    });
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await server?.stop();
  });

  const http = () => request(app.getHttpServer());

  async function seed(ns: string): Promise<string> {
    const res = await http().post(`/s/${ns}`).send({ user: 'ada' }).expect(200);
    return new CookieJar().store(res).header();
  }

  async function stored(ns: string, cookie: string): Promise<Record<string, unknown>> {
    const res = await http().get(`/s/${ns}`).set('Cookie', cookie).expect(200);
    expect(res.body).toMatchObject({ isNew: false });
    return (res.body as { data: Record<string, unknown> }).data;
  }

  /**
   * Two requests at once with the same cookie: both load, meet (so both loaded before either
   * writes back), wait 10-30 ms, then set their key.
   */
  async function pair(
    ns: string,
    cookie: string,
    tag: string,
    sets: [Record<string, unknown>, Record<string, unknown>],
  ): Promise<Sent[]> {
    const responses = await Promise.all(
      sets.map((set) =>
        http()
          .post(`/race/${ns}`)
          .set('Cookie', cookie)
          .send({ set, tag, meet: 2, delayMs: 10 + Math.floor(Math.random() * 20) }),
      ),
    );
    raceRendezvous.forget(tag);
    return responses.map((res, i) => {
      const [key, value] = Object.entries(sets[i]!)[0]!;
      return { key, value, status: res.status };
    });
  }

  describe("when pairs of requests change different keys (onConflict 'merge', the default)", () => {
    it(`should keep every key of ${PAIRS} overlapping pairs: 0 updates lost, 0 conflicts`, async () => {
      const cookie = await seed('merge');
      await server.resetStats();
      const sent: Sent[] = [];
      for (let i = 0; i < PAIRS; i++) {
        sent.push(
          ...(await pair('merge', cookie, `merge-${i}`, [{ [`a${i}`]: i }, { [`b${i}`]: i }])),
        );
      }
      // One conditional write per request, plus one merged retry per pair: every pair overlapped.
      const writes = (await server.commandStats()).evalsha ?? 0;
      const data = await stored('merge', cookie);
      const lost = sent.filter((s) => s.status === 200 && data[s.key] !== s.value);
      const conflicts = sent.filter((s) => s.status === 409).length;
      console.log(
        `concurrent-writes merge/different keys: pairs=${PAIRS} requests=${sent.length} 409s=${conflicts} lost updates=${lost.length} merged retries=${writes - 2 * PAIRS} stored keys=${Object.keys(data).length}`,
      );
      expect(sent.map((s) => s.status)).toEqual(Array(2 * PAIRS).fill(200));
      expect(lost).toEqual([]);
      expect(data).toEqual(
        Object.fromEntries([['user', 'ada'], ...sent.map((s) => [s.key, s.value])]),
      );
    }, 60_000);
  });

  describe("when pairs of requests change different keys with onConflict 'reject'", () => {
    it('should answer one request of each overlapping pair 409 and store nothing it sent', async () => {
      const cookie = await seed('reject');
      const sent: Sent[] = [];
      for (let i = 0; i < PAIRS; i++) {
        sent.push(
          ...(await pair('reject', cookie, `reject-${i}`, [{ [`a${i}`]: i }, { [`b${i}`]: i }])),
        );
      }
      const data = await stored('reject', cookie);
      const winners = sent.filter((s) => s.status === 200);
      const losers = sent.filter((s) => s.status === 409);
      const lost = winners.filter((s) => data[s.key] !== s.value);
      const leaked = losers.filter((s) => Object.hasOwn(data, s.key));
      console.log(
        `concurrent-writes reject/different keys: pairs=${PAIRS} 2xx=${winners.length} 409s=${losers.length} lost updates=${lost.length} 409 keys stored=${leaked.length}`,
      );
      // Both requests of every pair loaded before either wrote: every pair overlapped.
      expect(winners.length + losers.length).toBe(2 * PAIRS);
      expect(losers).toHaveLength(PAIRS);
      for (let i = 0; i < PAIRS; i++) {
        expect(
          sent
            .slice(2 * i, 2 * i + 2)
            .map((s) => s.status)
            .sort(),
        ).toEqual([200, 409]);
      }
      expect(lost).toEqual([]);
      expect(leaked).toEqual([]);
      expect(data).toEqual(
        Object.fromEntries([['user', 'ada'], ...winners.map((s) => [s.key, s.value])]),
      );
    }, 60_000);
  });

  describe("when pairs of requests set the same key to different values (onConflict 'merge')", () => {
    it('should answer one request of each pair 409 and keep the value of the other', async () => {
      const cookie = await seed('merge');
      const figures = { pairs: 0, conflicts: 0, lost: 0 };
      for (let i = 0; i < PAIRS; i++) {
        const sent = await pair('merge', cookie, `same-${i}`, [
          { color: `red-${i}` },
          { color: `blue-${i}` },
        ]);
        const winners = sent.filter((s) => s.status === 200);
        const data = await stored('merge', cookie);
        figures.pairs++;
        figures.conflicts += sent.filter((s) => s.status === 409).length;
        figures.lost += winners.filter((s) => data.color !== s.value).length;
        expect(sent.map((s) => s.status).sort()).toEqual([200, 409]);
        expect(data.color).toBe(winners[0]!.value);
      }
      console.log(
        `concurrent-writes merge/same key: pairs=${figures.pairs} 409s=${figures.conflicts} lost updates=${figures.lost}`,
      );
      expect(figures).toEqual({ pairs: PAIRS, conflicts: PAIRS, lost: 0 });
    }, 60_000);
  });
});
