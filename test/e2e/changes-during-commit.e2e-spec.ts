import { Controller, Get, Post, Res, type INestApplication } from '@nestjs/common';
import type { Response } from 'express';
import request from 'supertest';
import { ServerSessionFactory } from '../../src/factories/server-session.factory';
import { SignedCookieSessionFactory } from '../../src/factories/signed-cookie-session.factory';
import { Session, Sessions } from '../../src/request/session.decorator';
import type { SessionContainer } from '../../src/request/session-container';
import { MemoryStore } from '../../src/stores/memory.store';
import type { StoreSetOptions } from '../../src/stores/session-store.interface';
import { CookieJar } from '../support/cookie-jar';
import { createTestApp, SECRET_A, SECRET_B } from '../support/create-test-app';
import { LogCapture } from '../support/log-capture';

/** A store whose writes take 30 ms (a remote store), so the gate really holds. */
class SlowStore extends MemoryStore {
  override set(key: string, value: string, options?: StoreSetOptions): Promise<boolean> {
    return new Promise((r) => setTimeout(r, 30)).then(() => super.set(key, value, options));
  }
}

@Controller()
class C {
  @Post('sync-after-send')
  syncAfterSend(@Session('srv') s: Session, @Res() res: Response): void {
    s.set('a', 1);
    res.send('ok');
    s.set('b', 2); // same tick as send()
  }

  @Post('load-during-hold')
  async loadDuringHold(@Sessions() all: SessionContainer, @Res() res: Response): Promise<void> {
    (await all.get('srv'))!.set('a', 1);
    res.send('ok'); // held ~30 ms for the store write
    const ui = await all.get('ui');
    ui!.set('late', true); // after send(), but before the held response left
  }

  @Post('seed')
  seed(@Session('srv') s: Session, @Session('ui') ui: Session): string {
    s.update({ tags: [], n: 0 });
    ui.update({ tags: [], n: 0 });
    return 'ok';
  }

  @Post('nested-during-hold')
  nestedDuringHold(@Session('srv') s: Session, @Res() res: Response): void {
    const tags = s.get('tags') as string[];
    s.set('n', 1);
    res.send('ok'); // held ~30 ms for the store write
    tags.push('late'); // a nested change through a reference handed out before the commit
    s.get('n'); // then only a number is read
  }

  @Post('nested-after-send')
  async nestedAfterSend(@Session('ui') ui: Session, @Res() res: Response): Promise<void> {
    const tags = ui.get('tags') as string[];
    res.send('ok'); // a cookie session is decided inside send(): the headers leave now
    await new Promise((r) => setTimeout(r, 5));
    tags.push('late');
    ui.get('n'); // a number read after the response left
  }

  @Get('read')
  async read(@Sessions() all: SessionContainer): Promise<unknown> {
    return { srv: (await all.get('srv'))!.toJSON(), ui: (await all.get('ui'))!.toJSON() };
  }
}

/**
 * While a commit's store write is in flight the response is held; a change made in that window
 * (code after res.send(), a namespace loaded after it) is committed before the headers go.
 */
describe('Changes made while a commit is in flight', () => {
  let app: INestApplication;
  const capture = new LogCapture();
  beforeAll(async () => {
    app = await createTestApp({
      sessions: [
        {
          namespace: 'srv',
          factory: new ServerSessionFactory({
            secret: SECRET_A,
            cookieName: 'srv',
            store: new SlowStore(),
          }),
        },
        {
          namespace: 'ui',
          factory: new SignedCookieSessionFactory({ secret: SECRET_B, cookieName: 'ui' }),
        },
      ],
      controllers: [C],
      configure: (a) => a.useLogger(capture),
    });
  });
  afterAll(() => app.close());
  beforeEach(() => capture.clear());

  async function after(path: string, seeded = false): Promise<{ data: unknown; warns: string[] }> {
    const jar = new CookieJar();
    if (seeded) {
      jar.store(await request(app.getHttpServer()).post('/seed').expect(201));
      capture.clear();
    }
    const res = await request(app.getHttpServer())
      .post(path)
      .set('Cookie', jar.header())
      .expect(201);
    await new Promise((r) => setTimeout(r, 100));
    jar.store(res);
    const read = await request(app.getHttpServer())
      .get('/read')
      .set('Cookie', jar.header())
      .expect(200);
    return { data: read.body, warns: capture.at('warn') };
  }

  it('should save a change made in the same tick as res.send(), before the headers go', async () => {
    const { data, warns } = await after('/sync-after-send');
    expect(data).toEqual({ srv: { a: 1, b: 2 }, ui: {} });
    expect(warns).toEqual([]);
  });

  it('should save a session loaded and changed while the response is held', async () => {
    const { data, warns } = await after('/load-during-hold');
    expect(data).toEqual({ srv: { a: 1 }, ui: { late: true } });
    expect(warns).toEqual([]);
  });

  it('should save a nested change made while the write is in flight, when only a number is read after it', async () => {
    const { data, warns } = await after('/nested-during-hold', true);
    expect(data).toEqual({ srv: { tags: ['late'], n: 1 }, ui: { tags: [], n: 0 } });
    expect(warns).toEqual([]);
  });

  it('should warn about a nested change made after the response left, when only a number is read after it', async () => {
    const { data, warns } = await after('/nested-after-send', true);
    expect(data).toEqual({ srv: { tags: [], n: 0 }, ui: { tags: [], n: 0 } });
    expect(warns.join('\n')).toMatch(
      /"ui": the session changed after the response headers were sent/,
    );
  });
});
