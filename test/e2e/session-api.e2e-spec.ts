import { Controller, Get, Param, Post, Query, type INestApplication } from '@nestjs/common';
import request from 'supertest';
import { SignedCookieSessionFactory } from '../../src/factories/signed-cookie-session.factory';
import { MultiSession, Sessions } from '../../src/request/session.decorator';
import type { SessionContainer } from '../../src/request/session-container';
import { createTestApp, SECRET_A, SECRET_B } from '../support/create-test-app';
import { CookieJar, setCookieFor, setCookies } from '../support/cookie-jar';
import { LogCapture } from '../support/log-capture';

interface Cart {
  items: string[];
}

const BAD_VALUES: Record<string, () => unknown> = {
  undefined: () => undefined,
  function: () => () => 1,
  date: () => new Date(0),
  map: () => new Map(),
  bigint: () => 1n,
  nan: () => NaN,
  cycle: () => {
    const o: Record<string, unknown> = {};
    o['self'] = o;
    return o;
  },
};

@Controller('api')
class SessionApiController {
  @Post('dict')
  dict(@MultiSession('ui') ui: MultiSession): unknown {
    ui.set('a', 1).set('b', { c: [true, null] });
    ui.update({ d: 'x', e: 2 });
    const kept = ui.setDefault('a', 99);
    const added = ui.setDefault('f', 'new');
    return {
      kept,
      added,
      has: [ui.has('a'), ui.has('zz')],
      get: [ui.get('d'), ui.get('zz'), ui.get('zz', 'fallback')],
      keys: ui.keys(),
      values: ui.values(),
      entries: ui.entries(),
      size: ui.size,
      json: ui.toJSON(),
    };
  }

  @Post('pop')
  pop(@MultiSession('ui') ui: MultiSession): unknown {
    return {
      popped: ui.pop('a'),
      missing: ui.pop('a', 'dflt'),
      deleted: ui.delete('e'),
      deletedAgain: ui.delete('e'),
      json: ui.toJSON(),
    };
  }

  @Post('clear')
  clear(@MultiSession('ui') ui: MultiSession): unknown {
    ui.clear();
    return { size: ui.size };
  }

  @Get('info')
  info(@MultiSession('ui') ui: MultiSession): unknown {
    return { created: ui.created, isNew: ui.isNew, json: ui.toJSON() };
  }

  @Post('cart/start')
  startCart(@MultiSession('cart') cart: MultiSession<Cart>): string {
    cart.set('items', []);
    return 'ok';
  }

  @Post('cart/add/:sku')
  addToCart(@MultiSession('cart') cart: MultiSession<Cart>, @Param('sku') sku: string): string {
    cart.get('items')!.push(sku); // nested mutation, no changed()
    return 'ok';
  }

  @Post('plain/start')
  startPlain(@MultiSession('plain') plain: MultiSession<Cart>): string {
    plain.set('items', []);
    return 'ok';
  }

  @Post('plain/add/:sku')
  addPlain(
    @MultiSession('plain') plain: MultiSession<Cart>,
    @Param('sku') sku: string,
    @Query('changed') changed?: string,
  ): string {
    plain.get('items')!.push(sku);
    if (changed === '1') {
      plain.changed();
    }
    return 'ok';
  }

  @Get('cart')
  readCart(@Sessions() all: SessionContainer): Promise<unknown> {
    return Promise.all([all.get<Cart>('cart'), all.get<Cart>('plain')]).then(([cart, plain]) => ({
      cart: cart!.get('items') ?? null,
      plain: plain!.get('items') ?? null,
    }));
  }

  @Post('scoped')
  writeScoped(@MultiSession('scoped') scoped: MultiSession): string {
    scoped.set('k', 'v');
    return 'ok';
  }

  @Post('scoped/invalidate')
  async invalidateScoped(@MultiSession('scoped') scoped: MultiSession): Promise<unknown> {
    await scoped.invalidate();
    return { size: scoped.size, isNew: scoped.isNew };
  }

  @Post('invalidate-then-set')
  async invalidateThenSet(@MultiSession('ui') ui: MultiSession): Promise<string> {
    await ui.invalidate();
    ui.set('fresh', true);
    return 'ok';
  }

  @Post('flash/:message')
  flash(
    @MultiSession('ui') ui: MultiSession,
    @Param('message') message: string,
    @Query('queue') queue?: string,
    @Query('dup') dup?: string,
  ): string {
    ui.flash(message, { queue, allowDuplicate: dup !== 'no' });
    return 'ok';
  }

  @Get('flash/peek')
  peek(@MultiSession('ui') ui: MultiSession, @Query('queue') queue?: string): unknown {
    return ui.peekFlash(queue);
  }

  @Get('flash/pop')
  popFlash(@MultiSession('ui') ui: MultiSession, @Query('queue') queue?: string): unknown {
    return ui.popFlash(queue);
  }

  @Post('bad/:kind')
  bad(@MultiSession('ui') ui: MultiSession, @Param('kind') kind: string): unknown {
    try {
      ui.set('value', BAD_VALUES[kind]!());
      return { thrown: null };
    } catch (error) {
      return { thrown: (error as Error).name, message: (error as Error).message };
    }
  }

  @Post('bad-uncaught')
  badUncaught(@MultiSession('ui') ui: MultiSession): string {
    ui.set('when', new Date());
    return 'unreachable';
  }

  @Post('reserved')
  reserved(@MultiSession('ui') ui: MultiSession): unknown {
    try {
      ui.set('__proto__', { admin: true });
      return { thrown: null };
    } catch (error) {
      return { thrown: (error as Error).name, message: (error as Error).message };
    }
  }
}

describe('Session object API over HTTP', () => {
  let app: INestApplication;
  const capture = new LogCapture();

  beforeAll(async () => {
    app = await createTestApp({
      sessions: [
        {
          namespace: 'ui',
          factory: new SignedCookieSessionFactory({ secret: SECRET_A, cookieName: 'ui' }),
        },
        {
          namespace: 'cart',
          factory: new SignedCookieSessionFactory({ secret: SECRET_B, cookieName: 'cart' }),
        },
        {
          namespace: 'plain',
          factory: new SignedCookieSessionFactory({
            secret: SECRET_B,
            cookieName: 'plain',
            detectChanges: false,
          }),
        },
        {
          namespace: 'scoped',
          factory: new SignedCookieSessionFactory({
            secret: SECRET_B,
            cookieName: 'scoped',
            path: '/api',
            domain: 'example.test',
          }),
        },
      ],
      controllers: [SessionApiController],
      configure: (a) => a.useLogger(capture),
    });
  });

  afterAll(() => app.close());

  const post = (path: string, jar?: CookieJar): request.Test =>
    request(app.getHttpServer())
      .post(path)
      .set('Cookie', jar?.header() ?? '');
  const get = (path: string, jar?: CookieJar): request.Test =>
    request(app.getHttpServer())
      .get(path)
      .set('Cookie', jar?.header() ?? '');

  describe('when using the dict API', () => {
    it('should behave like a dict and persist what was written', async () => {
      const jar = new CookieJar();
      const res = await post('/api/dict').expect(201);
      expect(res.body).toEqual({
        kept: 1,
        added: 'new',
        has: [true, false],
        get: ['x', null, 'fallback'],
        keys: ['a', 'b', 'd', 'e', 'f'],
        values: [1, { c: [true, null] }, 'x', 2, 'new'],
        entries: [
          ['a', 1],
          ['b', { c: [true, null] }],
          ['d', 'x'],
          ['e', 2],
          ['f', 'new'],
        ],
        size: 5,
        json: { a: 1, b: { c: [true, null] }, d: 'x', e: 2, f: 'new' },
      });
      jar.store(res);
      const popped = await post('/api/pop', jar).expect(201);
      expect(popped.body).toEqual({
        popped: 1,
        missing: 'dflt',
        deleted: true,
        deletedAgain: false,
        json: { b: { c: [true, null] }, d: 'x', f: 'new' },
      });
      jar.store(popped);
      expect((await get('/api/info', jar).expect(200)).body.json).toEqual({
        b: { c: [true, null] },
        d: 'x',
        f: 'new',
      });
    });

    it('should clear the cookie when clear() empties the session', async () => {
      const jar = new CookieJar().store(await post('/api/dict'));
      const res = await post('/api/clear', jar).expect(201);
      expect(setCookieFor(res, 'ui')).toMatch(/^ui=; Max-Age=0; Path=\/; Expires=Thu, 01 Jan 1970/);
    });
  });

  describe('when reading created and isNew', () => {
    it('should report a new session, then the same created time once it exists', async () => {
      const before = Math.floor(Date.now() / 1000);
      const fresh = await get('/api/info').expect(200);
      expect(fresh.body.isNew).toBe(true);
      expect(fresh.body.created).toBeGreaterThanOrEqual(before);
      const jar = new CookieJar().store(await post('/api/dict'));
      const first = await get('/api/info', jar).expect(200);
      const second = await get('/api/info', jar).expect(200);
      expect(first.body.isNew).toBe(false);
      expect(Number.isInteger(first.body.created)).toBe(true);
      expect(second.body.created).toBe(first.body.created);
    });
  });

  describe('when a nested value is mutated without changed()', () => {
    it('should save it anyway (change detection on by default)', async () => {
      const jar = new CookieJar().store(await post('/api/cart/start'));
      jar.store(await post('/api/cart/add/apple', jar).expect(201));
      jar.store(await post('/api/cart/add/pear', jar).expect(201));
      expect((await get('/api/cart', jar).expect(200)).body.cart).toEqual(['apple', 'pear']);
    });

    it('should lose it with detectChanges: false unless changed() is called', async () => {
      const jar = new CookieJar().store(await post('/api/plain/start'));
      const lost = await post('/api/plain/add/apple', jar).expect(201);
      expect(setCookieFor(lost, 'plain')).toBeUndefined();
      jar.store(await post('/api/plain/add/pear?changed=1', jar).expect(201));
      expect((await get('/api/cart', jar).expect(200)).body.plain).toEqual(['pear']);
    });
  });

  describe('when the session is invalidated', () => {
    it('should drop the data and delete the cookie with the same Path and Domain', async () => {
      const jar = new CookieJar().store(await post('/api/scoped'));
      expect(jar.get('scoped')).toBeDefined();
      const res = await post('/api/scoped/invalidate', jar).expect(201);
      expect(res.body).toEqual({ size: 0, isNew: true });
      expect(setCookies(res)).toEqual([
        'scoped=; Max-Age=0; Domain=example.test; Path=/api; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax',
      ]);
    });

    it('should start a new session holding only data written afterwards', async () => {
      const jar = new CookieJar().store(await post('/api/dict'));
      jar.store(await post('/api/invalidate-then-set', jar).expect(201));
      const info = await get('/api/info', jar).expect(200);
      expect(info.body.json).toEqual({ fresh: true });
    });
  });

  describe('when flash messages are queued', () => {
    it('should keep queues apart, peek without removing and pop once', async () => {
      const jar = new CookieJar();
      jar.store(await post('/api/flash/hello', jar));
      jar.store(await post('/api/flash/hello', jar));
      jar.store(await post('/api/flash/oops?queue=error', jar));
      expect((await get('/api/flash/peek', jar).expect(200)).body).toEqual(['hello', 'hello']);
      expect((await get('/api/flash/peek?queue=error', jar).expect(200)).body).toEqual(['oops']);
      const popped = await get('/api/flash/pop', jar).expect(200);
      expect(popped.body).toEqual(['hello', 'hello']);
      jar.store(popped);
      expect((await get('/api/flash/pop', jar).expect(200)).body).toEqual([]);
      expect((await get('/api/flash/peek?queue=error', jar).expect(200)).body).toEqual(['oops']);
    });

    it('should skip duplicates with allowDuplicate: false', async () => {
      const jar = new CookieJar();
      jar.store(await post('/api/flash/once?dup=no', jar));
      jar.store(await post('/api/flash/once?dup=no', jar));
      expect((await get('/api/flash/peek', jar).expect(200)).body).toEqual(['once']);
    });
  });

  describe('when set() is given a value JSON cannot store', () => {
    it.each(Object.keys(BAD_VALUES))(
      'should throw SessionValueError at once for %s',
      async (kind) => {
        const res = await post(`/api/bad/${kind}`).expect(201);
        expect(res.body.thrown).toBe('SessionValueError');
        expect(res.body.message).toMatch(/^Session value at "value/);
        expect(setCookies(res)).toEqual([]);
      },
    );

    it('should refuse a reserved key', async () => {
      const res = await post('/api/reserved').expect(201);
      expect(res.body).toEqual({
        thrown: 'SessionValueError',
        message: 'Session key "__proto__" is reserved or not a string. Use another key name.',
      });
    });

    it('should answer 500 and log the message when the handler does not catch it', async () => {
      await post('/api/bad-uncaught').expect(500);
      await capture.waitFor('error', 'Session value at "when" is a Date');
    });
  });
});
