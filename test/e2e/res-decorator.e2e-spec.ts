import { Controller, Get, Post, Res, type INestApplication } from '@nestjs/common';
import request from 'supertest';
import { SignedCookieSessionFactory } from '../../src/factories/signed-cookie-session.factory';
import { Session, Sessions } from '../../src/request/session.decorator';
import type { SessionContainer } from '../../src/request/session-container';
import { ADAPTERS, createTestApp, SECRET_A } from '../support/create-test-app';
import { CookieJar, setCookieFor, setCookies } from '../support/cookie-jar';
import { LogCapture } from '../support/log-capture';
import {
  appCookie,
  redirect,
  sendWith,
  setStatus,
  writeYourself,
  type NativeResponse,
} from '../support/native-response';

const HEADERS_SENT_WARNING =
  'Namespace "ui": the session changed after the response headers were sent, so its cookie could not be set and the change was not saved. Finish session work before sending the response (with @Res(), before res.send()).';

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

@Controller()
class ResController {
  @Post('library')
  library(@Session('ui') ui: Session, @Res() res: NativeResponse): void {
    ui.set('via', 'library-mode');
    sendWith(res, 201, { ok: true });
  }

  @Post('library-async')
  async libraryAsync(@Session('ui') ui: Session, @Res() res: NativeResponse): Promise<void> {
    await tick();
    ui.set('via', 'library-async');
    await tick();
    appCookie(res, 'app', '1');
    sendWith(res, 201, 'done');
  }

  @Post('passthrough')
  passthrough(
    @Session('ui') ui: Session,
    @Res({ passthrough: true }) res: NativeResponse,
  ): unknown {
    ui.set('via', 'passthrough');
    appCookie(res, 'app', '1');
    setStatus(res, 202);
    return { ok: true };
  }

  @Post('redirect')
  redirect(@Session('ui') ui: Session, @Res() res: NativeResponse): void {
    ui.flash('saved');
    redirect(res, 303, '/read');
  }

  @Post('stream')
  async stream(@Session('ui') ui: Session, @Res() res: NativeResponse): Promise<void> {
    ui.set('via', 'stream');
    const raw = writeYourself(res);
    raw.statusCode = 200;
    raw.write('part 1;');
    await tick();
    raw.end('part 2');
  }

  @Post('late-write')
  async lateWrite(@Sessions() all: SessionContainer, @Res() res: NativeResponse): Promise<void> {
    const ui = await all.get('ui');
    const raw = writeYourself(res);
    raw.statusCode = 200;
    raw.write('streaming');
    await tick();
    // Too late: the headers left with the first chunk.
    ui!.set('late', true);
    raw.end();
  }

  @Post('late-load')
  async lateLoad(@Sessions() all: SessionContainer, @Res() res: NativeResponse): Promise<void> {
    sendWith(res, 200, 'sent first');
    const ui = await all.get('ui');
    ui!.set('late', true);
  }

  @Get('read')
  read(@Session('ui') ui: Session): unknown {
    return { data: ui.toJSON(), flash: ui.peekFlash() };
  }
}

describe.each(ADAPTERS)('@Res() handlers on %s', (adapter) => {
  let app: INestApplication;
  const capture = new LogCapture();

  beforeAll(async () => {
    app = await createTestApp({
      adapter,
      sessions: [
        {
          namespace: 'ui',
          factory: new SignedCookieSessionFactory({ secret: SECRET_A, cookieName: 'ui' }),
        },
      ],
      controllers: [ResController],
      configure: (a) => a.useLogger(capture),
    });
  }, 60_000);

  afterAll(() => app.close());

  beforeEach(() => capture.clear());

  async function readBack(res: request.Response): Promise<unknown> {
    const jar = new CookieJar().store(res);
    const read = await request(app.getHttpServer())
      .get('/read')
      .set('Cookie', jar.header())
      .expect(200);
    return read.body;
  }

  describe('when the handler sends the response itself (no passthrough)', () => {
    it('should set the cookie before the response goes out', async () => {
      const res = await request(app.getHttpServer()).post('/library').expect(201);
      expect(res.body).toEqual({ ok: true });
      expect(await readBack(res)).toEqual({ data: { via: 'library-mode' }, flash: [] });
    });

    it('should work after awaits, keeping the handler cookie', async () => {
      const res = await request(app.getHttpServer()).post('/library-async').expect(201);
      expect(setCookies(res).map((c) => c.split('=')[0])).toEqual(['app', 'ui']);
      expect(await readBack(res)).toEqual({ data: { via: 'library-async' }, flash: [] });
    });

    it('should set the cookie on a redirect', async () => {
      const res = await request(app.getHttpServer()).post('/redirect').expect(303);
      expect(res.headers['location']).toBe('/read');
      expect(await readBack(res)).toEqual({ data: { _f_: ['saved'] }, flash: ['saved'] });
    });

    it('should set the cookie on a streamed response before the first chunk', async () => {
      const res = await request(app.getHttpServer()).post('/stream').expect(200);
      expect(res.text).toBe('part 1;part 2');
      expect(await readBack(res)).toEqual({ data: { via: 'stream' }, flash: [] });
    });
  });

  describe('when the handler uses passthrough', () => {
    it('should set the cookie, keep the status and the handler cookie', async () => {
      const res = await request(app.getHttpServer()).post('/passthrough').expect(202);
      expect(res.body).toEqual({ ok: true });
      expect(setCookies(res).map((c) => c.split('=')[0])).toEqual(['app', 'ui']);
      expect(await readBack(res)).toEqual({ data: { via: 'passthrough' }, flash: [] });
    });
  });

  describe('when the session changes after the headers were sent', () => {
    it('should log exactly one clear warning and send no session cookie', async () => {
      const res = await request(app.getHttpServer()).post('/late-write').expect(200);
      expect(res.text).toBe('streaming');
      expect(setCookieFor(res, 'ui')).toBeUndefined();
      await capture.waitFor('warn', HEADERS_SENT_WARNING);
      // Give any second (duplicate) warning the chance to arrive before counting.
      await new Promise((r) => setTimeout(r, 50));
      expect(capture.at('warn')).toEqual([`${HEADERS_SENT_WARNING} SessionMulti`]);
      expect(await readBack(res)).toEqual({ data: {}, flash: [] });
    });

    it('should warn once when the session is first loaded after sending', async () => {
      const res = await request(app.getHttpServer()).post('/late-load').expect(200);
      expect(res.text).toBe('sent first');
      expect(setCookies(res)).toEqual([]);
      await capture.waitFor('warn', HEADERS_SENT_WARNING);
      await new Promise((r) => setTimeout(r, 50));
      expect(capture.at('warn')).toHaveLength(1);
    });
  });
});
