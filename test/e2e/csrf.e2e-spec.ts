import { Body, Controller, Get, Post, UseGuards, type INestApplication } from '@nestjs/common';
import request from 'supertest';
import { SignedCookieSessionFactory } from '../../src/factories/signed-cookie-session.factory';
import { CsrfGuard } from '../../src/request/csrf.guard';
import { Session } from '../../src/request/session.decorator';
import { ADAPTERS, createTestApp, SECRET_A, SECRET_B } from '../support/create-test-app';
import { CookieJar } from '../support/cookie-jar';

@Controller('cart')
class CartController {
  @Get('form')
  form(@Session('cart') cart: Session): { token: string } {
    return { token: cart.getCsrfToken() };
  }

  @Post('rotate')
  rotate(@Session('cart') cart: Session): { token: string } {
    return { token: cart.newCsrfToken() };
  }

  @Post('add')
  @UseGuards(CsrfGuard('cart'))
  add(
    @Session('cart') cart: Session,
    @Body() body: { sku?: string } | undefined,
  ): { added: string | null } {
    cart.set('last', body?.sku ?? null);
    return { added: body?.sku ?? null };
  }

  @Get('safe')
  @UseGuards(CsrfGuard('cart'))
  safe(): string {
    return 'GET is not checked';
  }

  @Post('custom')
  @UseGuards(CsrfGuard('cart', { header: 'X-Token', field: 'token' }))
  custom(): string {
    return 'ok';
  }

  @Post('other-namespace')
  @UseGuards(CsrfGuard('ui'))
  otherNamespace(): string {
    return 'ok';
  }
}

describe.each(ADAPTERS)('CsrfGuard on %s', (adapter) => {
  let app: INestApplication;
  let jar: CookieJar;
  let token: string;

  beforeAll(async () => {
    app = await createTestApp({
      adapter,
      sessions: [
        {
          namespace: 'cart',
          factory: new SignedCookieSessionFactory({ secret: SECRET_A, cookieName: 'cart' }),
        },
        {
          namespace: 'ui',
          factory: new SignedCookieSessionFactory({ secret: SECRET_B, cookieName: 'ui' }),
        },
      ],
      controllers: [CartController],
    });
    jar = new CookieJar();
    const res = await request(app.getHttpServer()).get('/cart/form').expect(200);
    jar.store(res);
    token = (res.body as { token: string }).token;
  }, 60_000);

  afterAll(() => app.close());

  const post = (path: string): request.Test =>
    request(app.getHttpServer()).post(path).set('Cookie', jar.header());

  describe('when the session hands out a token', () => {
    it('should be 64 hex characters, stable across requests', async () => {
      expect(token).toMatch(/^[0-9a-f]{64}$/);
      const again = await request(app.getHttpServer())
        .get('/cart/form')
        .set('Cookie', jar.header())
        .expect(200);
      expect(again.body.token).toBe(token);
    });
  });

  describe('when no token is submitted', () => {
    it('should answer 403', async () => {
      const res = await post('/cart/add').send({ sku: 'a' }).expect(403);
      expect(res.body.message).toBe('Invalid or missing CSRF token.');
    });
  });

  describe('when a wrong token is submitted', () => {
    it.each([
      [
        'a different token of the same length',
        () => `${token.slice(0, -1)}${token.endsWith('0') ? '1' : '0'}`,
      ],
      ['a truncated token', () => token.slice(0, -2)],
      ['an empty token', () => ''],
    ])('should answer 403 for %s', async (_case, make) => {
      await post('/cart/add').set('X-CSRF-Token', make()).send({ sku: 'a' }).expect(403);
    });

    it('should answer 403 when the session holds no token at all', async () => {
      await request(app.getHttpServer())
        .post('/cart/add')
        .set('X-CSRF-Token', token)
        .send({ sku: 'a' })
        .expect(403);
    });
  });

  describe('when the token comes in the X-CSRF-Token header', () => {
    it('should let the request through', async () => {
      const res = await post('/cart/add').set('X-CSRF-Token', token).send({ sku: 'a' }).expect(201);
      expect(res.body).toEqual({ added: 'a' });
    });
  });

  describe('when the token comes in the _csrf field of a form post', () => {
    it('should let the request through', async () => {
      const res = await post('/cart/add').type('form').send(`sku=b&_csrf=${token}`).expect(201);
      expect(res.body).toEqual({ added: 'b' });
    });

    it('should answer 403 for a wrong field value', async () => {
      await post('/cart/add')
        .type('form')
        .send(`sku=b&_csrf=${'0'.repeat(64)}`)
        .expect(403);
    });
  });

  describe('when the token was rotated with newCsrfToken()', () => {
    it('should refuse the old token and accept the new one', async () => {
      const rotateJar = new CookieJar();
      const first = await request(app.getHttpServer()).get('/cart/form');
      rotateJar.store(first);
      const rotated = await request(app.getHttpServer())
        .post('/cart/rotate')
        .set('Cookie', rotateJar.header())
        .expect(201);
      rotateJar.store(rotated);
      const send = (t: string): request.Test =>
        request(app.getHttpServer())
          .post('/cart/add')
          .set('Cookie', rotateJar.header())
          .set('X-CSRF-Token', t);
      await send(first.body.token).expect(403);
      await send(rotated.body.token).expect(201);
    });
  });

  describe('when the method is safe', () => {
    it('should not check GET', async () => {
      await request(app.getHttpServer()).get('/cart/safe').expect(200);
    });
  });

  describe('when header and field names are configured', () => {
    it('should read them instead of the defaults', async () => {
      await post('/cart/custom').set('X-CSRF-Token', token).expect(403);
      await post('/cart/custom').set('X-Token', token).expect(201);
      await post('/cart/custom').type('form').send(`token=${token}`).expect(201);
    });
  });

  describe("when the token belongs to another namespace's session", () => {
    it('should answer 403', async () => {
      await post('/cart/other-namespace').set('X-CSRF-Token', token).expect(403);
    });
  });
});
