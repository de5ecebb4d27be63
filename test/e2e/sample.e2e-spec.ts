import { randomUUID } from 'node:crypto';
import type { LoggerService } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AppModule } from '../../sample/src/app.module';
import { DEMO_PASSWORD } from '../../sample/src/auth-store';
import { configureSampleApp } from '../../sample/src/configure-app';
import { CookieJar, cookieValue, setCookieFor, setCookies } from '../support/cookie-jar';

const SECRET_VARIABLES = ['UI_SECRET', 'CART_SECRET', 'HTTPS_SECRET', 'AUTH_SECRET'] as const;
const SAVED_VARIABLES = [...SECRET_VARIABLES, 'REDIS_URL'] as const;

/** Keeps warnings; drops the rest of Nest's start-up chatter. */
class WarningLog implements LoggerService {
  readonly warnings: string[] = [];
  log(): void {}
  error(): void {}
  warn(message: unknown): void {
    this.warnings.push(String(message));
  }
}

function cookieNames(res: request.Response): string[] {
  return setCookies(res).map((c) => c.slice(0, c.indexOf('=')));
}

/** The CSRF token in a page's forms. */
function csrfToken(html: string): string {
  const match = /name="_csrf" value="([0-9a-f]{64})"/.exec(html);
  if (match === null) {
    throw new Error('the page has no _csrf field');
  }
  return match[1]!;
}

describe('Sample AppModule', () => {
  let app: NestExpressApplication;
  const log = new WarningLog();
  const savedEnv: Record<string, string | undefined> = {};

  beforeAll(async () => {
    // No secrets and no REDIS_URL: development secrets, auth sessions in the FileStore.
    for (const name of SAVED_VARIABLES) {
      savedEnv[name] = process.env[name];
      delete process.env[name];
    }
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
      .setLogger(log)
      .compile();
    app = moduleRef.createNestApplication<NestExpressApplication>();
    configureSampleApp(app);
    await app.init();
  });

  afterAll(async () => {
    await app.close();
    for (const name of SAVED_VARIABLES) {
      if (savedEnv[name] !== undefined) {
        process.env[name] = savedEnv[name];
      }
    }
  });

  describe('when UI_SECRET, CART_SECRET, HTTPS_SECRET and AUTH_SECRET are not set', () => {
    it('should warn once at start-up, naming the four variables', () => {
      const warnings = log.warnings.filter((w) => w.includes('UI_SECRET'));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(
        'UI_SECRET, CART_SECRET, HTTPS_SECRET, AUTH_SECRET are not set',
      );
    });
  });

  describe('GET /', () => {
    it('should answer 200 with a link to every page and load only the ui namespace', async () => {
      const res = await request(app.getHttpServer()).get('/').expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      for (const href of ['/theme', '/cart', '/secure', '/account', '/login', '/plain']) {
        expect(res.text).toContain(`href="${href}"`);
      }
      expect(res.text).toMatch(/<code>ui<\/code><\/td><td><strong>loaded<\/strong>/);
      expect(res.text).toMatch(/<code>cart<\/code><\/td><td><span class="muted">not loaded/);
      // An empty new session sends no cookie.
      expect(setCookies(res)).toEqual([]);
    });
  });

  describe('GET /_session_multi', () => {
    it('should answer 404 outside development (the debug panel is off)', async () => {
      expect(process.env.NODE_ENV).toBe('test');
      await request(app.getHttpServer()).get('/_session_multi').expect(404);
    });
  });

  describe('GET /plain', () => {
    it('should send no Set-Cookie and no Vary: Cookie', async () => {
      const res = await request(app.getHttpServer()).get('/plain').expect(200);
      expect(setCookies(res)).toEqual([]);
      expect(res.headers['vary']).toBeUndefined();
    });
  });

  describe('when the theme form is posted', () => {
    const jar = new CookieJar();
    let post: request.Response;

    beforeAll(async () => {
      post = await request(app.getHttpServer()).post('/theme').type('form').send({ theme: 'dark' });
      jar.store(post);
    });

    it('should redirect with 303 to /theme', () => {
      expect(post.status).toBe(303);
      expect(post.headers['location']).toBe('/theme');
    });

    it('should set the ui cookie and no other', () => {
      expect(cookieNames(post)).toEqual(['ui']);
      expect(setCookieFor(post, 'ui')).toMatch(/; Path=\/; HttpOnly; SameSite=Lax$/);
    });

    it('should show the flash message once, then the page without it', async () => {
      const first = await request(app.getHttpServer())
        .get('/theme')
        .set('Cookie', jar.header())
        .expect(200);
      jar.store(first);
      expect(first.text).toContain('<p class="flash">Theme set to dark.</p>');
      expect(first.text).toContain('<body class="dark">');

      const second = await request(app.getHttpServer())
        .get('/theme')
        .set('Cookie', jar.header())
        .expect(200);
      expect(second.text).not.toContain('Theme set to dark.');
      expect(second.text).toContain('<body class="dark">');
      // Nothing was popped, so the ui cookie is not rewritten.
      expect(setCookies(second)).toEqual([]);
    });
  });

  describe('when the cart is used', () => {
    const jar = new CookieJar();
    let token: string;

    beforeAll(async () => {
      const page = await request(app.getHttpServer()).get('/cart').expect(200);
      jar.store(page);
      token = csrfToken(page.text);
    });

    it('should answer 403 to an add without the CSRF token and leave the cart empty', async () => {
      const res = await request(app.getHttpServer())
        .post('/cart/add')
        .set('Cookie', jar.header())
        .type('form')
        .send({ item: 'tea' })
        .expect(403);
      expect(res.text).toContain('CSRF token missing or wrong');
      expect(setCookies(res)).toEqual([]);
      const page = await request(app.getHttpServer())
        .get('/cart')
        .set('Cookie', jar.header())
        .expect(200);
      expect(page.text).toContain('<p class="muted">Empty.</p>');
    });

    it('should answer 403 to an add with a wrong CSRF token', async () => {
      await request(app.getHttpServer())
        .post('/cart/add')
        .set('Cookie', jar.header())
        .type('form')
        .send({ item: 'tea', _csrf: 'f'.repeat(64) })
        .expect(403);
    });

    it('should add the item with the token, redirect, and show it in the cart', async () => {
      const add = await request(app.getHttpServer())
        .post('/cart/add')
        .set('Cookie', jar.header())
        .type('form')
        .send({ item: 'tea', _csrf: token })
        .expect(303);
      expect(add.headers['location']).toBe('/cart');
      expect(cookieNames(add).sort()).toEqual(['cart', 'ui']);
      jar.store(add);
      const page = await request(app.getHttpServer())
        .get('/cart')
        .set('Cookie', jar.header())
        .expect(200);
      expect(page.text).toContain('Green tea × 1');
      expect(page.text).toContain('<p class="flash">Added Green tea to the cart.</p>');
    });

    it('should refuse a ui cookie sent as the cart cookie', async () => {
      const ui = await request(app.getHttpServer())
        .post('/theme')
        .type('form')
        .send({ theme: 'light' });
      const res = await request(app.getHttpServer())
        .get('/cart')
        .set('Cookie', `cart=${cookieValue(ui, 'ui')}`)
        .expect(200);
      expect(res.text).toContain('<p class="muted">Empty.</p>');
    });

    it('should clear the cart cookie when the cart is emptied', async () => {
      const res = await request(app.getHttpServer())
        .post('/cart/empty')
        .set('Cookie', jar.header())
        .type('form')
        .send({ _csrf: token })
        .expect(303);
      expect(setCookieFor(res, 'cart')).toMatch(/^cart=; Max-Age=0;/);
    });
  });

  describe('GET /secure', () => {
    describe('when the request is plain http', () => {
      it('should show that https_only is null and set no cookie', async () => {
        const res = await request(app.getHttpServer()).get('/secure').expect(200);
        expect(res.text).toContain('<h1>https only: not mounted</h1>');
        expect(res.text).toMatch(/<code>https_only<\/code><\/td><td><strong>null<\/strong>/);
        expect(setCookieFor(res, 'https_only')).toBeUndefined();
      });
    });

    describe('when a loopback proxy marks the request as https', () => {
      it('should mount https_only and set a Secure cookie', async () => {
        const res = await request(app.getHttpServer())
          .get('/secure')
          .set('X-Forwarded-Proto', 'https')
          .expect(200);
        expect(res.text).toContain('<h1>https only: mounted</h1>');
        expect(setCookieFor(res, 'https_only')).toMatch(/; HttpOnly; Secure; SameSite=Strict$/);
      });
    });
  });
  describe('when a visitor logs in and out (auth namespace)', () => {
    const jar = new CookieJar();

    async function logIn(username: string, password: string): Promise<request.Response> {
      const res = await request(app.getHttpServer())
        .post('/login')
        .set('Cookie', jar.header())
        .type('form')
        .send({ username, password });
      jar.store(res);
      return res;
    }

    async function account(cookie = jar.header()): Promise<request.Response> {
      const res = await request(app.getHttpServer()).get('/account').set('Cookie', cookie);
      return res;
    }

    it('should redirect a guest from /account to /login without creating an auth session', async () => {
      const res = await account('');
      expect(res.status).toBe(303);
      expect(res.headers['location']).toBe('/login');
      expect(cookieNames(res)).toEqual(['ui']);
    });

    it('should list both devices of a user and log the other one out from "Your sessions"', async () => {
      // The sample keeps its files between runs: a user name of this run only.
      const user = `dora-${randomUUID().slice(0, 8)}`;
      const other = new CookieJar();
      other.store(
        await request(app.getHttpServer())
          .post('/login')
          .type('form')
          .send({ username: user, password: DEMO_PASSWORD }),
      );
      const mine = new CookieJar();
      mine.store(
        await request(app.getHttpServer())
          .post('/login')
          .type('form')
          .send({ username: user, password: DEMO_PASSWORD }),
      );
      const page = await request(app.getHttpServer())
        .get('/account/sessions')
        .set('Cookie', mine.header());
      mine.store(page);
      expect(page.status).toBe(200);
      expect(page.text.match(/<li>/g)).toHaveLength(2);
      expect(page.text).toContain('(this device)');
      const out = await request(app.getHttpServer())
        .post('/account/logout-others')
        .set('Cookie', mine.header())
        .type('form')
        .send({ _csrf: csrfToken(page.text) });
      expect(out.status).toBe(303);
      expect((await account(mine.header())).status).toBe(200);
      expect((await account(other.header())).status).toBe(303);
    });

    it('should refuse a wrong password with a flash and no auth cookie', async () => {
      const res = await logIn('alice', 'wrong');
      expect(res.status).toBe(303);
      expect(res.headers['location']).toBe('/login');
      expect(setCookieFor(res, 'auth')).toBeUndefined();
      const page = await request(app.getHttpServer()).get('/login').set('Cookie', jar.header());
      jar.store(page);
      expect(page.text).toContain('<p class="flash error">Wrong username or password.</p>');
    });

    it('should log in with the demo password and show the members page', async () => {
      const res = await logIn('alice', DEMO_PASSWORD);
      expect(res.status).toBe(303);
      expect(res.headers['location']).toBe('/account');
      expect(setCookieFor(res, 'auth')).toMatch(/^auth=[^;]+; Path=\/; HttpOnly; SameSite=Lax$/);
      const page = await account();
      expect(page.status).toBe(200);
      expect(page.text).toContain('Hello <strong>alice</strong>');
    });

    it('should give the session a new id at login, so the previous id no longer works', async () => {
      const before = jar.get('auth')!;
      await logIn('bob', DEMO_PASSWORD);
      expect(jar.get('auth')).not.toBe(before);
      expect((await account()).text).toContain('Hello <strong>bob</strong>');
      const replay = await account(`auth=${before}`);
      expect(replay.status).toBe(303);
      expect(replay.headers['location']).toBe('/login');
    });

    it('should answer 403 to a logout without the CSRF token', async () => {
      await request(app.getHttpServer()).post('/logout').set('Cookie', jar.header()).expect(403);
      expect((await account()).status).toBe(200);
    });

    it('should delete the session at logout, so a copy of the cookie is worthless', async () => {
      const page = await account();
      const copy = jar.get('auth')!;
      const res = await request(app.getHttpServer())
        .post('/logout')
        .set('Cookie', jar.header())
        .type('form')
        .send({ _csrf: csrfToken(page.text) })
        .expect(303);
      expect(setCookieFor(res, 'auth')).toMatch(/^auth=; Max-Age=0;/);
      const replay = await account(`auth=${copy}`);
      expect(replay.status).toBe(303);
      expect(replay.headers['location']).toBe('/login');
    });
  });
});
