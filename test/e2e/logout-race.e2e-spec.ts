import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { RedisSessionFactory } from '../../src/factories/redis-session.factory';
import { ServerSessionFactory } from '../../src/factories/server-session.factory';
import type { SessionFactory } from '../../src/factories/session-factory.interface';
import { FileStore } from '../../src/stores/file.store';
import { MemoryStore } from '../../src/stores/memory.store';
import { CookieJar } from '../support/cookie-jar';
import { createTestApp, SECRET_A } from '../support/create-test-app';
import { RaceController, raceRendezvous } from '../support/race-controller';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { ServerSessionController } from './server-session-fixtures';

const TRIALS = 50;
/** Trials run this many at a time. */
const PARALLEL = 5;

interface Trial {
  /** Request A (loaded before the logout, wrote back after it). */
  lateStatus: number;
  /** B answered before A: the race happened as set up. */
  raced: boolean;
  /** The pre-logout cookie was refused afterwards (empty new session). */
  refused: boolean;
}

interface Figures {
  trials: number;
  raced: number;
  refused: number;
  conflicts: number;
}

type StoreKind = 'RedisStore' | 'MemoryStore' | 'FileStore';

const ROUTES = { invalidate: 's/auth/invalidate', regenerate: 's/auth/regenerate' } as const;

describe('ServerSessionFactory write-back after the session ended', () => {
  let server: RedisServer | undefined;
  let directory: string | undefined;

  beforeAll(async () => {
    server = await startRedisServer();
    directory = mkdtempSync(join(tmpdir(), 'nsm-logout-race-'));
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    if (directory !== undefined) {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  function factoryFor(kind: StoreKind): SessionFactory {
    switch (kind) {
      case 'RedisStore':
        return new RedisSessionFactory({
          redis: { url: server!.url, prefix: 'auth:' },
          secret: SECRET_A,
          cookieName: 'auth',
        });
      case 'MemoryStore':
        return new ServerSessionFactory({
          store: new MemoryStore({ sweepInterval: 0 }),
          secret: SECRET_A,
          cookieName: 'auth',
        });
      case 'FileStore':
        return new ServerSessionFactory({
          store: new FileStore({ directory: directory! }),
          secret: SECRET_A,
          cookieName: 'auth',
        });
    }
  }

  describe.each(['RedisStore', 'MemoryStore', 'FileStore'] as const)('over %s', (kind) => {
    let app: INestApplication;

    beforeAll(async () => {
      app = await createTestApp({
        sessions: [{ namespace: 'auth', factory: factoryFor(kind) }],
        controllers: [ServerSessionController, RaceController],
      });
    }, 60_000);

    afterAll(() => app.close());

    const http = () => request(app.getHttpServer());

    /**
     * One trial: log in; A loads the session, sets a key and waits 100-200 ms; once A has loaded,
     * B (same cookie) ends the session; then the pre-logout cookie is tried.
     */
    async function trial(n: number, ending: keyof typeof ROUTES): Promise<Trial> {
      const login = await http().post('/s/auth').send({ user: 'ada' }).expect(200);
      const old = new CookieJar().store(login).header();
      const tag = `${kind}-${ending}-${n}`;
      let bDone = false;
      let bDoneBeforeA = false;
      const a = http()
        .post('/race/auth')
        .set('Cookie', old)
        .send({
          set: { cart: n },
          tag,
          delayMs: 100 + Math.floor(Math.random() * 100),
          // On a loaded machine B can take longer than the delay: A waits for it, so every trial races.
          after: `${tag}:ended`,
        })
        .then((res) => {
          bDoneBeforeA = bDone;
          return res;
        });
      await raceRendezvous.wait(tag, 1);
      const b = await http().post(`/${ROUTES[ending]}`).set('Cookie', old).expect(200);
      bDone = true;
      raceRendezvous.arrive(`${tag}:ended`);
      const late = await a;
      raceRendezvous.forget(tag);
      raceRendezvous.forget(`${tag}:ended`);
      if (ending === 'regenerate') {
        // The regenerated session (B's new cookie) keeps the login, without A's key.
        const fresh = new CookieJar().store(b).header();
        const after = await http().get('/s/auth').set('Cookie', fresh).expect(200);
        expect(after.body).toEqual({ isNew: false, data: { user: 'ada' } });
      }
      const replay = await http().get('/s/auth').set('Cookie', old).expect(200);
      const body = replay.body as { isNew: boolean; data: Record<string, unknown> };
      return {
        lateStatus: late.status,
        raced: bDoneBeforeA,
        refused: body.isNew && Object.keys(body.data).length === 0,
      };
    }

    async function run(
      ending: keyof typeof ROUTES,
    ): Promise<{ trials: Trial[]; figures: Figures }> {
      const trials: Trial[] = [];
      for (let start = 0; start < TRIALS; start += PARALLEL) {
        const batch = Array.from({ length: Math.min(PARALLEL, TRIALS - start) }, (_, i) =>
          trial(start + i, ending),
        );
        trials.push(...(await Promise.all(batch)));
      }
      const figures: Figures = {
        trials: trials.length,
        raced: trials.filter((t) => t.raced).length,
        refused: trials.filter((t) => t.refused).length,
        conflicts: trials.filter((t) => t.lateStatus === 409).length,
      };
      console.log(
        `logout-race ${kind} ${ending}(): trials=${figures.trials} raced=${figures.raced} refused=${figures.refused} 409s=${figures.conflicts} statuses=${JSON.stringify(countBy(trials.map((t) => t.lateStatus)))}`,
      );
      return { trials, figures };
    }

    describe.each(['invalidate', 'regenerate'] as const)(
      'when request B calls %s() while request A is still running',
      (ending) => {
        it(`should refuse the pre-${ending} cookie in all ${TRIALS} trials and answer A with 409`, async () => {
          const { figures } = await run(ending);
          expect(figures).toEqual({
            trials: TRIALS,
            raced: TRIALS,
            refused: TRIALS,
            conflicts: TRIALS,
          });
        }, 60_000);
      },
    );
  });
});

function countBy(values: number[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) {
    counts[v] = (counts[v] ?? 0) + 1;
  }
  return counts;
}
