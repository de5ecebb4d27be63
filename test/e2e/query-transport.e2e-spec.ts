import { Controller, Get, Header, Post, Res, type INestApplication } from '@nestjs/common';
import request from 'supertest';
import { ServerSessionFactory } from '../../src/factories/server-session.factory';
import { queryTransport } from '../../src/factories/transports/session-id-transport';
import { Session } from '../../src/request/session.decorator';
import { MemoryStore } from '../../src/stores/memory.store';
import { ADAPTERS, createTestApp, SECRET_A } from '../support/create-test-app';
import { sendWith, type NativeResponse } from '../support/native-response';

const factory = (): ServerSessionFactory =>
  new ServerSessionFactory({
    store: new MemoryStore(),
    secret: SECRET_A,
    transport: queryTransport({ param: 'sid' }),
  });

@Controller()
class CartController {
  @Get('cart')
  show(@Session('cart') cart: Session): { visits: number } {
    const visits = ((cart.get('visits') as number | undefined) ?? 0) + 1;
    cart.set('visits', visits);
    return { visits };
  }

  @Post('cart')
  add(@Session('cart') cart: Session): { added: boolean } {
    cart.set('added', true);
    return { added: true };
  }

  @Get('peek')
  peek(@Session('cart') cart: Session): { visits: unknown } {
    return { visits: cart.get('visits') ?? null };
  }

  /** An application header that would let a shared cache keep a URL holding an id. */
  @Get('public-peek')
  @Header('Cache-Control', 'public, max-age=600')
  publicPeek(@Session('cart') cart: Session): { visits: unknown } {
    return { visits: cart.get('visits') ?? null };
  }

  @Get('res-cart')
  resCart(@Session('cart') cart: Session, @Res() res: NativeResponse): void {
    cart.set('visits', 1);
    sendWith(res, 200, { sent: 'by the handler' });
  }
}

/** The `sid` parameter of a Location header. */
function sidOf(location: string): string {
  return new URL(location, 'http://x').searchParams.get('sid')!;
}

describe.each(ADAPTERS)('queryTransport (%s)', (adapter) => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createTestApp({
      adapter,
      sessions: [{ namespace: 'cart', factory: factory() }],
      controllers: [CartController],
    });
  });

  afterAll(() => app.close());

  describe('when a GET creates a session', () => {
    it('should answer 303 to the same URL with the id, and a later GET should read the session', async () => {
      const server = app.getHttpServer();
      const first = await request(server).get('/cart?page=2&q=a%20b').expect(303);
      const location = first.headers['location'] as string;
      expect(location).toMatch(/^\/cart\?page=2&q=a%20b&sid=[A-Za-z0-9_-]{22,}\.[A-Za-z0-9_-]+$/);
      expect(first.headers['referrer-policy']).toBe('no-referrer');
      expect(first.headers['cache-control']).toBe('private, no-store');
      expect(first.headers['set-cookie']).toBeUndefined();

      const second = await request(server).get(location).expect(200);
      expect(second.body).toEqual({ visits: 2 });
      expect(second.headers['referrer-policy']).toBe('no-referrer');
      expect(second.headers['cache-control']).toBe('private, no-store');
      expect(second.headers['location']).toBeUndefined();
      expect(second.headers['set-cookie']).toBeUndefined();

      const peek = await request(server)
        .get(`/peek?sid=${encodeURIComponent(sidOf(location))}`)
        .expect(200, { visits: 2 });
      // The id is in the URL, which caches key on: the response does not vary on cookies.
      expect(peek.headers['vary'] ?? '').not.toMatch(/Cookie/i);
    });
  });

  describe("when the route's own @Header() says public", () => {
    it('should still answer Cache-Control: private, no-store', async () => {
      const server = app.getHttpServer();
      const location = (await request(server).get('/cart').expect(303)).headers[
        'location'
      ] as string;
      const res = await request(server)
        .get(`/public-peek?sid=${encodeURIComponent(sidOf(location))}`)
        .expect(200, { visits: 1 });
      expect(res.headers['cache-control']).toBe('private, no-store');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
    });
  });

  describe('when a POST creates a session', () => {
    it('should never redirect, and still mark the response', async () => {
      const res = await request(app.getHttpServer()).post('/cart').expect(201, { added: true });
      expect(res.headers['location']).toBeUndefined();
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['cache-control']).toBe('private, no-store');
      expect(res.headers['set-cookie']).toBeUndefined();
    });
  });

  describe('when a GET stores nothing', () => {
    it('should answer the handler without a redirect', async () => {
      await request(app.getHttpServer()).get('/peek').expect(200, { visits: null });
    });
  });

  describe('when the URL holds a forged id', () => {
    it('should redirect to a new id in place of the forged one', async () => {
      const forged = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.forged';
      const res = await request(app.getHttpServer()).get(`/cart?sid=${forged}`).expect(303);
      const location = res.headers['location'] as string;
      expect(location.match(/sid=/g)).toHaveLength(1);
      expect(sidOf(location)).not.toBe(forged);
      await request(app.getHttpServer()).get(location).expect(200, { visits: 2 });
    });
  });

  describe('when a @Res() handler sends its own response', () => {
    it('should replace it with the 303 once the session is written', async () => {
      const res = await request(app.getHttpServer()).get('/res-cart').expect(303);
      const location = res.headers['location'] as string;
      expect(location).toMatch(/^\/res-cart\?sid=/);
      expect(res.body).not.toEqual({ sent: 'by the handler' });
      await request(app.getHttpServer())
        .get(`/peek?sid=${encodeURIComponent(sidOf(location))}`)
        .expect(200, { visits: 1 });
    });
  });
});
