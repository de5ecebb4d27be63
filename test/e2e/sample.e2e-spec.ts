import type { LoggerService } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AppModule } from '../../sample/src/app.module';
import { configureSampleApp } from '../../sample/src/configure-app';
import { CookieJar, cookieValue, setCookieFor, setCookies } from '../support/cookie-jar';

const SECRET_VARIABLES = ['UI_SECRET', 'CART_SECRET', 'HTTPS_SECRET'] as const;

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

/** The CSRF token in the cart page's forms. */
function csrfToken(html: string): string {
  const match = /name="_csrf" value="([0-9a-f]{64})"/.exec(html);
  if (match === null) {
    throw new Error('the cart page has no _csrf field');
  }
  return match[1]!;
}

describe('Sample AppModule', () => {
  let app: NestExpressApplication;
  const log = new WarningLog();
  const savedEnv: Record<string, string | undefined> = {};

  beforeAll(async () => {
    for (const name of SECRET_VARIABLES) {
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
    for (const name of SECRET_VARIABLES) {
      if (savedEnv[name] !== undefined) {
        process.env[name] = savedEnv[name];
      }
    }
  });

  describe('when UI_SECRET, CART_SECRET and HTTPS_SECRET are not set', () => {
    it('should warn once at start-up, naming the three variables', () => {
      const warnings = log.warnings.filter((w) => w.includes('UI_SECRET'));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain('UI_SECRET, CART_SECRET, HTTPS_SECRET are not set');
    });
  });

  describe('GET /', () => {
    it('should answer 200 with a link to every page and load only the ui namespace', async () => {
      const res = await request(app.getHttpServer()).get('/').expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      for (const href of ['/theme', '/cart', '/secure', '/plain']) {
        expect(res.text).toContain(`href="${href}"`);
      }
      expect(res.text).toMatch(/<code>ui<\/code><\/td><td><strong>loaded<\/strong>/);
      expect(res.text).toMatch(/<code>cart<\/code><\/td><td><span class="muted">not loaded/);
      // An empty new session sends no cookie.
      expect(setCookies(res)).toEqual([]);
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
});
