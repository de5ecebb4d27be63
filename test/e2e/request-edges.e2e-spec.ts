import {
  Catch,
  Controller,
  Get,
  Header,
  Injectable,
  Module,
  Param,
  Res,
  UnauthorizedException,
  type ArgumentsHost,
  type CallHandler,
  type ExecutionContext,
  type ExceptionFilter,
  type INestApplication,
  type MiddlewareConsumer,
  type NestInterceptor,
  type NestMiddleware,
  type NestModule,
} from '@nestjs/common';
import { first, interval, map, of, tap, toArray, type Observable } from 'rxjs';
import request from 'supertest';
import { ServerSessionFactory } from '../../src/factories/server-session.factory';
import { SignedCookieSessionFactory } from '../../src/factories/signed-cookie-session.factory';
import type { SessionContainer } from '../../src/request/session-container';
import { Session, Sessions } from '../../src/request/session.decorator';
import type { NamespacedSession } from '../../src/session/session';
import { MemoryStore } from '../../src/stores/memory.store';
import type {
  ReplaceResult,
  StoreReplaceOptions,
  StoreSetOptions,
} from '../../src/stores/session-store.interface';
import { CookieJar, setCookieFor } from '../support/cookie-jar';
import { ADAPTERS, createTestApp, SECRET_A } from '../support/create-test-app';
import { sendWith, type NativeResponse } from '../support/native-response';

/** A MemoryStore that counts writes (`set`, `replace`) and can refuse them. */
class WriteCountingStore extends MemoryStore {
  writes = 0;
  failWrites = false;

  constructor() {
    super({ sweepInterval: 0 });
  }

  override set(key: string, value: string, options: StoreSetOptions): Promise<boolean> {
    this.writes++;
    return this.failWrites
      ? Promise.reject(new Error('write refused'))
      : super.set(key, value, options);
  }

  override replace(
    key: string,
    value: string,
    options: StoreReplaceOptions,
  ): Promise<ReplaceResult> {
    this.writes++;
    return this.failWrites
      ? Promise.reject(new Error('write refused'))
      : super.replace(key, value, options);
  }
}

type Req = { sessionMulti?: SessionContainer; raw?: { sessionMulti?: SessionContainer } };

const containerOf = (req: Req): SessionContainer => (req.sessionMulti ?? req.raw?.sessionMulti)!;

/** Logs the user out of both namespaces from an exception filter, without awaiting (Pyramid style). */
@Catch(UnauthorizedException)
class LogoutFilter implements ExceptionFilter {
  async catch(_error: unknown, host: ArgumentsHost): Promise<void> {
    const http = host.switchToHttp();
    const req = http.getRequest<Req & { url: string }>();
    const sessions = containerOf(req);
    if (req.url.includes('all')) {
      void sessions.invalidateAll();
    } else {
      for (const ns of ['ui', 'auth']) {
        void (await sessions.get(ns))!.invalidate();
      }
    }
    sendWith(http.getResponse<NativeResponse>(), 401, { loggedOut: true });
  }
}

/** An application-wide interceptor, outside the session's: collects or cuts short two routes. */
@Injectable()
class ShapeSomeRoutes implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    switch (context.getHandler().name) {
      case 'threeCollected':
        return next.handle().pipe(toArray());
      case 'endless':
        return next.handle().pipe(first());
      default:
        return next.handle();
    }
  }
}

@Injectable()
class CountVisits implements NestMiddleware {
  async use(req: Req, _res: unknown, next: () => void): Promise<void> {
    const session = (await req.sessionMulti!.get('auth'))!;
    session.set('visits', ((session.get('visits') as number | undefined) ?? 0) + 1);
    next();
  }
}

@Controller('e')
class EdgeController {
  @Get('login')
  login(@Session('ui') ui: NamespacedSession, @Session('auth') auth: NamespacedSession): string {
    ui.set('user', 'ada');
    auth.set('user', 'ada');
    return 'ok';
  }

  @Get('show')
  show(@Session('ui') ui: NamespacedSession, @Session('auth') auth: NamespacedSession): object {
    return { ui: ui.toJSON(), auth: auth.toJSON() };
  }

  @Get(['denied', 'denied-all'])
  denied(@Session('ui') ui: NamespacedSession, @Session('auth') auth: NamespacedSession): never {
    ui.get('user');
    auth.get('user');
    throw new UnauthorizedException();
  }

  /** An Observable of three values: Nest answers the last one. */
  @Get('three')
  three(@Session('auth') auth: NamespacedSession): Observable<number> {
    return of(1, 2, 3).pipe(tap((n) => auth.set(`n${n}`, n)));
  }

  /** The same, under an application interceptor that collects every value. */
  @Get('three-collected')
  threeCollected(@Session('auth') auth: NamespacedSession): Observable<number> {
    return of(1, 2, 3).pipe(tap((n) => auth.set(`n${n}`, n)));
  }

  /** A stream that never completes, cut short by an application interceptor's first(). */
  @Get('endless')
  endless(@Session('auth') auth: NamespacedSession): Observable<number> {
    return interval(5).pipe(
      tap((n) => auth.set('tick', n)),
      map((n) => n),
    );
  }

  @Get('res')
  res(@Session('auth') auth: NamespacedSession, @Res() res: NativeResponse): void {
    auth.set('saved', true);
    sendWith(res, 200, { ok: true });
  }

  @Get('plain')
  plain(@Session('auth') auth: NamespacedSession): string {
    auth.set('saved', true);
    return 'ok';
  }

  /** A value changed in place, past set()'s checks, into something JSON would not keep. */
  @Get('in-place/:ns')
  inPlace(@Sessions() sessions: SessionContainer, @Param('ns') ns: string): Promise<string> {
    return sessions.get(ns).then((session) => {
      session!.set('box', {});
      (session!.get('box') as Record<string, unknown>).when = new Date(0);
      return 'ok';
    });
  }

  /** A public page: a cookie on it would be stored by shared caches and served to others. */
  @Get('public')
  @Header('Cache-Control', 'public, max-age=60')
  publicPage(@Session('ui') ui: NamespacedSession): string {
    ui.set('seen', true);
    return 'cacheable';
  }

  @Get('flash-once')
  flashOnce(@Session('ui') ui: NamespacedSession): string {
    ui.flash('welcome back', { allowDuplicate: false });
    return 'ok';
  }

  @Get('counted')
  counted(): string {
    return 'ok';
  }
}

@Module({ controllers: [EdgeController], providers: [CountVisits] })
class EdgeModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(CountVisits).forRoutes('e/counted');
  }
}

describe.each(ADAPTERS)('request edges on %s', (adapter) => {
  let app: INestApplication;
  const store = new WriteCountingStore();
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await createTestApp({
      adapter,
      sessions: [
        {
          namespace: 'ui',
          factory: new SignedCookieSessionFactory({ secret: SECRET_A, cookieName: 'ui' }),
        },
        {
          namespace: 'auth',
          factory: new ServerSessionFactory({ secret: SECRET_A, cookieName: 'auth', store }),
        },
      ],
      imports: [EdgeModule],
      configure: (a) => {
        a.useGlobalFilters(new LogoutFilter());
        a.useGlobalInterceptors(new ShapeSomeRoutes());
      },
    });
  }, 60_000);

  afterAll(() => app?.close());

  beforeEach(async () => {
    store.failWrites = false;
    store.writes = 0;
    await store.clear();
  });

  async function login(): Promise<CookieJar> {
    return new CookieJar().store(await http().get('/e/login').expect(200));
  }

  it.each(['denied', 'denied-all'])(
    'a logout not awaited in an exception filter (/e/%s) clears both cookies and the record',
    async (route) => {
      const jar = await login();
      expect(await store.length()).toBe(1);

      const res = await http().get(`/e/${route}`).set('Cookie', jar.header());

      expect(res.status).toBe(401);
      expect(res.body).toEqual({ loggedOut: true });
      expect(setCookieFor(res, 'ui')).toMatch(/^ui=;/);
      expect(setCookieFor(res, 'auth')).toMatch(/^auth=;/);
      expect(await store.length()).toBe(0);
      const after = await http().get('/e/show').set('Cookie', jar.store(res).header());
      expect(after.body).toEqual({ ui: {}, auth: {} });
    },
  );

  it('a handler returning an Observable of several values writes the session once', async () => {
    const res = await http().get('/e/three').expect(200);

    expect(res.text).toBe('3');
    expect(store.writes).toBe(1);
    const after = await http().get('/e/show').set('Cookie', new CookieJar().store(res).header());
    expect(after.body.auth).toEqual({ n1: 1, n2: 2, n3: 3 });
  });

  it('passes every value to an application interceptor outside it, and writes once', async () => {
    const res = await http().get('/e/three-collected').expect(200);

    expect(res.body).toEqual([1, 2, 3]);
    expect(store.writes).toBe(1);
  });

  it("saves the session when an application interceptor's first() ends a stream early", async () => {
    const res = await http().get('/e/endless').expect(200);

    expect(res.text).toBe('0');
    const after = await http().get('/e/show').set('Cookie', new CookieJar().store(res).header());
    expect(after.body.auth).toEqual({ tick: 0 });
  });

  it('answers a failed commit of an @Res() route in the same shape as any other route', async () => {
    store.failWrites = true;
    const plain = await http().get('/e/plain');
    const held = await http().get('/e/res');

    expect(plain.status).toBe(503);
    expect(held.status).toBe(503);
    expect(held.body).toEqual(plain.body);
    expect(plain.body).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'Session store for namespace "auth" is unavailable.',
    });
  });

  it.each(['ui', 'auth'])(
    'refuses to save a Date put into a %s value in place: 500, nothing stored',
    async (ns) => {
      const res = await http().get(`/e/in-place/${ns}`);

      expect(res.status).toBe(500);
      expect(setCookieFor(res, ns)).toBeUndefined();
      expect(await store.length()).toBe(0);
    },
  );

  it('withholds the cookie of a response whose @Header() makes it publicly cacheable', async () => {
    const res = await http().get('/e/public').expect(200);

    expect(res.headers['cache-control']).toBe('public, max-age=60');
    expect(setCookieFor(res, 'ui')).toBeUndefined();
  });

  it('writes nothing when flash() with allowDuplicate: false finds the message queued', async () => {
    const first = await http().get('/e/flash-once').expect(200);
    expect(setCookieFor(first, 'ui')).toBeDefined();

    const again = await http()
      .get('/e/flash-once')
      .set('Cookie', new CookieJar().store(first).header())
      .expect(200);
    expect(setCookieFor(again, 'ui')).toBeUndefined();
  });

  it('gives Nest middleware req.sessionMulti, and commits what it changed', async () => {
    const first = await http().get('/e/counted').expect(200);
    const jar = new CookieJar().store(first);
    jar.store(await http().get('/e/counted').set('Cookie', jar.header()).expect(200));

    const after = await http().get('/e/show').set('Cookie', jar.header());
    expect(after.body.auth).toEqual({ visits: 2 });
  });
});
