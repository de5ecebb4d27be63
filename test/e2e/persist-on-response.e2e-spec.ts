import { Controller, Get, Post, Res, StreamableFile, type INestApplication } from '@nestjs/common';
import request from 'supertest';
import { SignedCookieSessionFactory } from '../../src/factories/signed-cookie-session.factory';
import type {
  CommitContext,
  LoadContext,
  SessionFactory,
} from '../../src/factories/session-factory.interface';
import type { NamespacedSession } from '../../src/session/session';
import { Session, Sessions } from '../../src/request/session.decorator';
import type { SessionContainer } from '../../src/request/session-container';
import { ADAPTERS, createTestApp, SECRET_A, SECRET_B } from '../support/create-test-app';
import { CookieJar, setCookieFor, setCookies } from '../support/cookie-jar';
import { appCookie, setHeader, type NativeResponse } from '../support/native-response';

/** Writes go to this "store" only after a delay: the response must wait for them. */
const slowStore = new Map<string, unknown>();

/**
 * A factory that delegates to a signed-cookie factory but takes its time to commit and records
 * the session in `slowStore` when done: if the commit were not awaited, the response would go out
 * before the cookie is set and before the store holds the data.
 */
class SlowFactory implements SessionFactory {
  private readonly inner = new SignedCookieSessionFactory({
    secret: SECRET_B,
    cookieName: 'slow',
  });
  readonly cookieName = this.inner.cookieName;
  readonly cookieOptions = this.inner.cookieOptions;

  load(ctx: LoadContext): NamespacedSession {
    return this.inner.load(ctx);
  }

  async commit(session: NamespacedSession, ctx: CommitContext): Promise<void> {
    await new Promise((r) => setTimeout(r, 30));
    if (!session.isEmpty()) {
      slowStore.set(String(session.peekData()['key']), session.toJSON());
    }
    this.inner.commit(session, ctx);
  }

  describe(): Record<string, unknown> {
    return { type: 'SlowFactory' };
  }
}

function names(cookies: string[]): string[] {
  return cookies.map((c) => c.slice(0, c.indexOf('=')));
}

@Controller()
class FlowController {
  @Get('none')
  none(): string {
    return 'untouched';
  }

  @Post('ui')
  writeUi(@Session('ui') ui: Session): string {
    ui.set('theme', 'dark');
    return 'ok';
  }

  @Get('ui')
  readUi(@Session('ui') ui: Session): unknown {
    return { theme: ui.get('theme') ?? null };
  }

  @Post('both')
  writeBoth(@Session('ui') ui: Session, @Sessions() all: SessionContainer): Promise<string> {
    ui.set('theme', 'light');
    return all.get('cart').then((cart) => {
      cart!.set('items', [1]);
      return 'ok';
    });
  }

  @Post('slow/:key')
  writeSlow(
    @Session('slow') slow: Session,
    @Res({ passthrough: true }) _res: NativeResponse,
  ): string {
    slow.set('key', 'k1');
    return 'ok';
  }

  @Get('slow')
  readSlow(@Session('slow') slow: Session): unknown {
    return { key: slow.get('key') ?? null };
  }

  @Post('app-cookie')
  appCookie(@Session('ui') ui: Session, @Res({ passthrough: true }) res: NativeResponse): string {
    appCookie(res, 'app', '1');
    ui.set('theme', 'dark');
    return 'ok';
  }

  @Post('replace-vary')
  replaceVary(@Session('ui') ui: Session, @Res({ passthrough: true }) res: NativeResponse): string {
    ui.set('theme', 'dark');
    setHeader(res, 'Vary', 'Accept-Language');
    return 'ok';
  }

  @Get('file')
  file(@Session('ui') ui: Session): StreamableFile {
    ui.set('downloaded', true);
    return new StreamableFile(Buffer.from('file body'), { type: 'text/plain' });
  }
}

describe.each(ADAPTERS)('Persisting sessions on the response on %s', (adapter) => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createTestApp({
      adapter,
      sessions: [
        {
          namespace: 'ui',
          factory: new SignedCookieSessionFactory({ secret: SECRET_A, cookieName: 'ui' }),
        },
        {
          namespace: 'cart',
          factory: new SignedCookieSessionFactory({ secret: SECRET_B, cookieName: 'cart' }),
        },
        { namespace: 'slow', factory: new SlowFactory() },
      ],
      controllers: [FlowController],
    });
  }, 60_000);

  afterAll(() => app.close());

  describe('when a route touches no session', () => {
    it('should send no Set-Cookie and no Vary header, even with session cookies sent', async () => {
      const written = await request(app.getHttpServer()).post('/ui').expect(201);
      const res = await request(app.getHttpServer())
        .get('/none')
        .set('Cookie', new CookieJar().store(written).header())
        .expect(200);
      expect(res.headers['set-cookie']).toBeUndefined();
      expect(res.headers['vary']).toBeUndefined();
    });
  });

  describe('when a route writes one namespace of three', () => {
    it('should set exactly that namespace cookie', async () => {
      const res = await request(app.getHttpServer()).post('/ui').expect(201);
      expect(names(setCookies(res))).toEqual(['ui']);
      expect(res.headers['vary']).toBe('Cookie');
    });
  });

  describe('when a route writes two namespaces', () => {
    it('should set both cookies', async () => {
      const res = await request(app.getHttpServer()).post('/both').expect(201);
      expect(names(setCookies(res)).sort()).toEqual(['cart', 'ui']);
    });
  });

  describe('when the commit takes time', () => {
    it('should wait for it: the cookie is on the response and the store holds the data', async () => {
      slowStore.clear();
      const res = await request(app.getHttpServer()).post('/slow/k1').expect(201);
      expect(setCookieFor(res, 'slow')).toBeDefined();
      expect(slowStore.get('k1')).toEqual({ key: 'k1' });
    });

    it('should let the very next request read what the previous one wrote', async () => {
      const jar = new CookieJar().store(await request(app.getHttpServer()).post('/slow/k1'));
      const read = await request(app.getHttpServer())
        .get('/slow')
        .set('Cookie', jar.header())
        .expect(200);
      expect(read.body).toEqual({ key: 'k1' });
    });
  });

  describe('when the handler sets its own cookie', () => {
    it('should keep it and append the session cookie', async () => {
      const res = await request(app.getHttpServer()).post('/app-cookie').expect(201);
      expect(names(setCookies(res))).toEqual(['app', 'ui']);
    });
  });

  describe('when the handler replaces the Vary header', () => {
    it('should still send Vary: Cookie with the session cookie', async () => {
      const res = await request(app.getHttpServer()).post('/replace-vary').expect(201);
      expect(setCookieFor(res, 'ui')).toBeDefined();
      expect(res.headers['vary']).toBe('Accept-Language, Cookie');
    });
  });

  describe('when the handler returns a StreamableFile', () => {
    it('should set the cookie before the stream starts', async () => {
      const jar = new CookieJar();
      const res = await request(app.getHttpServer()).get('/file').expect(200);
      expect(res.text).toBe('file body');
      jar.store(res);
      expect(jar.get('ui')).toBeDefined();
    });
  });
});
