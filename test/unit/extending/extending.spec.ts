import { Controller, Get, Post, Query, type INestApplication } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { ServerSessionFactory, Session, SessionRegistry } from '../../../src';
import { createTestApp, SECRET_A } from '../../support/create-test-app';
import { CookieJar } from '../../support/cookie-jar';
import { MapStore } from './map.store';
import { PreferencesCookieFactory } from './preferences-cookie.factory';

@Controller()
class PreferencesController {
  @Post('theme')
  setTheme(@Session('prefs') prefs: Session, @Query('theme') theme: string): void {
    prefs.set('theme', theme);
  }

  @Post('forget')
  forget(@Session('prefs') prefs: Session): void {
    prefs.clear();
  }

  @Post('visit')
  visit(@Session('cart') cart: Session<{ visits: number }>): number {
    const visits = cart.get('visits', 0) + 1;
    cart.set('visits', visits);
    return visits;
  }

  @Get('state')
  state(
    @Session('prefs') prefs: Session,
    @Session('cart') cart: Session<{ visits: number }>,
  ): unknown {
    return { theme: prefs.get('theme') ?? null, isNew: prefs.isNew, visits: cart.get('visits', 0) };
  }
}

describe('docs/extending.md examples', () => {
  const store = new MapStore();
  let app: INestApplication;

  beforeAll(async () => {
    app = await createTestApp({
      sessions: [
        {
          namespace: 'prefs',
          factory: new PreferencesCookieFactory({ cookieName: 'prefs', secure: false }),
        },
        {
          namespace: 'cart',
          factory: new ServerSessionFactory({ secret: SECRET_A, cookieName: 'cart', store }),
        },
      ],
      controllers: [PreferencesController],
    });
  });

  afterAll(async () => {
    await app.close();
  });

  describe('PreferencesCookieFactory (a custom SessionFactory)', () => {
    it('should be registered under its namespace and describe itself', () => {
      expect(app.get(SessionRegistry).factory('prefs')?.describe()).toMatchObject({
        type: 'PreferencesCookieFactory',
        cookie: { name: 'prefs', path: '/', httpOnly: true, sameSite: 'lax' },
      });
    });

    describe('when a handler sets a value', () => {
      it('should send it in its cookie and read it back on the next request', async () => {
        const jar = new CookieJar();
        const set = await request(app.getHttpServer()).post('/theme?theme=dark').expect(201);
        jar.store(set);
        expect(set.headers['set-cookie']).toEqual([
          `prefs=${Buffer.from('{"theme":"dark"}').toString('base64url')}; Path=/; HttpOnly; SameSite=Lax`,
        ]);
        const state = await request(app.getHttpServer())
          .get('/state')
          .set('Cookie', jar.header())
          .expect(200);
        expect(state.body).toEqual({ theme: 'dark', isNew: false, visits: 0 });
        expect(state.headers['set-cookie']).toBeUndefined();
      });
    });

    describe('when the data is cleared', () => {
      it('should expire the cookie', async () => {
        const jar = new CookieJar();
        jar.store(await request(app.getHttpServer()).post('/theme?theme=light'));
        const cleared = await request(app.getHttpServer())
          .post('/forget')
          .set('Cookie', jar.header())
          .expect(201);
        expect(cleared.headers['set-cookie']).toEqual([
          'prefs=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax',
        ]);
      });
    });

    describe('when the cookie is not base64url JSON', () => {
      it('should start a new, empty session', async () => {
        const state = await request(app.getHttpServer())
          .get('/state')
          .set('Cookie', 'prefs=%%%not-json')
          .expect(200);
        expect(state.body).toEqual({ theme: null, isNew: true, visits: 0 });
      });
    });
  });

  describe('MapStore (a custom SessionStore)', () => {
    describe('when a server-side namespace writes through it', () => {
      it('should keep the session under a hashed key and load it on the next request', async () => {
        const jar = new CookieJar();
        const first = await request(app.getHttpServer()).post('/visit').expect(201);
        jar.store(first);
        expect(first.text).toBe('1');
        const second = await request(app.getHttpServer())
          .post('/visit')
          .set('Cookie', jar.header())
          .expect(201);
        expect(second.text).toBe('2');
        const keys = [...(store as unknown as { entries: Map<string, unknown> }).entries.keys()];
        expect(keys).toHaveLength(1);
        expect(keys[0]).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(jar.header()).not.toContain(keys[0]);
      });
    });

    describe('when a record is replaced with a stale fingerprint', () => {
      it('should report the conflict and keep the current payload', async () => {
        await store.set('k', 'new', { ttl: 60 });
        await expect(store.replace('k', 'mine', { expected: 'stale', ttl: 60 })).resolves.toEqual({
          status: 'conflict',
          current: 'new',
        });
        await expect(store.get('k')).resolves.toBe('new');
      });
    });

    describe('when a TTL of zero is given', () => {
      it('should delete the record', async () => {
        await store.set('gone', 'v', { ttl: 60 });
        await store.touch('gone', 0);
        await expect(store.get('gone')).resolves.toBeUndefined();
      });
    });
  });

  describe('docs/extending.md', () => {
    const page = readFileSync(join(process.cwd(), 'docs/extending.md'), 'utf8');

    it.each(['preferences-cookie.factory.ts', 'map.store.ts'])(
      'should show %s as it is compiled and run here',
      (file) => {
        const source = readFileSync(
          join(process.cwd(), 'test/unit/extending', file),
          'utf8',
        ).replace("from '../../../src';", "from 'nestjs-session-multi';");
        expect(page).toContain(source.trimEnd());
      },
    );
  });
});
