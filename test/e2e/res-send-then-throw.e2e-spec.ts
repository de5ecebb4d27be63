import { Controller, Get, Post, Res, type INestApplication } from '@nestjs/common';
import { createConnection, type AddressInfo, type Server } from 'node:net';
import request from 'supertest';
import { ServerSessionFactory } from '../../src/factories/server-session.factory';
import { Session } from '../../src/request/session.decorator';
import { CookieJar, setCookieFor } from '../support/cookie-jar';
import { ADAPTERS, createTestApp, SECRET_A } from '../support/create-test-app';
import { LogCapture } from '../support/log-capture';
import { rawResponse, sendWith, type NativeResponse } from '../support/native-response';
import { SlowSetStore } from '../support/slow-stores';

const DROP_WARNING = 'was called after the response had ended';

@Controller()
class SendThenThrowController {
  @Post('send-then-throw')
  sendThenThrow(@Session('srv') srv: Session, @Res() res: NativeResponse): void {
    srv.set('n', 1);
    // The session write (about 50 ms) is now in flight while the response is held.
    sendWith(res, 201, { first: true });
    throw new Error('thrown after the response was sent');
  }

  @Post('send-then-end-again')
  sendThenEndAgain(@Session('srv') srv: Session, @Res() res: NativeResponse): void {
    srv.set('n', 2);
    sendWith(res, 201, { first: true });
    // While the commit holds the response, a second end (and a write) arrive after the first.
    const raw = rawResponse(res);
    raw.write('late');
    raw.end();
  }

  @Get('read')
  read(@Session('srv') srv: Session): unknown {
    return { n: srv.get('n') ?? null };
  }
}

/** One raw HTTP/1.1 exchange, read to the end of the connection: every byte the server sent. */
function rawExchange(server: Server, head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const { port } = server.address() as AddressInfo;
    const socket = createConnection({ host: '127.0.0.1', port });
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (data += chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(data));
    socket.write(head);
  });
}

describe.each(ADAPTERS)('ResponseNet on %s', (adapter) => {
  let app: INestApplication;
  const capture = new LogCapture();

  beforeAll(async () => {
    app = await createTestApp({
      adapter,
      sessions: [
        {
          namespace: 'srv',
          factory: new ServerSessionFactory({
            secret: SECRET_A,
            cookieName: 'srv',
            store: new SlowSetStore(50),
          }),
        },
      ],
      controllers: [SendThenThrowController],
      configure: (a) => a.useLogger(capture),
    });
    await new Promise<void>((resolve) =>
      (app.getHttpServer() as Server).listen(0, '127.0.0.1', resolve),
    );
  }, 60_000);

  afterAll(() => app.close());

  beforeEach(() => capture.clear());

  describe('when an @Res() handler sends and then throws while the session write is in flight', () => {
    it('should send exactly one response, the first one, with the session cookie', async () => {
      const raw = await rawExchange(
        app.getHttpServer() as Server,
        'POST /send-then-throw HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n',
      );
      const statusLines = raw.match(/^HTTP\/1\.1 \d{3}.*$/gm) ?? [];
      expect(statusLines).toEqual([expect.stringMatching(/^HTTP\/1\.1 201 /)]);
      const body = raw.slice(raw.indexOf('\r\n\r\n') + 4);
      // Connection: close and a known length, or chunked: either way the one body is the JSON.
      expect(body).toContain('{"first":true}');
      expect(body).not.toContain('statusCode');
      expect(raw).toMatch(/^set-cookie: srv=/im);
    });

    it("should log the handler's error through Nest once, as an ordinary error, and drop nothing", async () => {
      await request(app.getHttpServer()).post('/send-then-throw').expect(201);
      await capture.waitFor('error', 'thrown after the response was sent');
      await new Promise((r) => setTimeout(r, 100));
      expect(
        capture.at('error').filter((line) => line.includes('thrown after the response was sent')),
      ).toHaveLength(1);
      // The commit interceptor waits for the write in flight before it rethrows, so Nest's
      // exception filter ends a response that has really ended (Node ignores that end): the net
      // never sees a call to drop here. The process guard (test/support/process-guard.ts)
      // fails this file if anything reached the process as uncaught.
      expect(capture.at('warn').filter((line) => line.includes(DROP_WARNING))).toEqual([]);
    });
    it('should answer the client with the first status and body, and keep serving', async () => {
      const first = await request(app.getHttpServer()).post('/send-then-throw').expect(201);
      expect(first.body).toEqual({ first: true });
      expect(setCookieFor(first, 'srv')).toMatch(/^srv=/);

      const second = await request(app.getHttpServer())
        .get('/read')
        .set('Cookie', new CookieJar().store(first).header())
        .expect(200);
      expect(second.body).toEqual({ n: 1 });
    });
  });

  describe('when an @Res() handler writes and ends again after its end, while the write is in flight', () => {
    it('should send the first response only and log the dropped call exactly once', async () => {
      const raw = await rawExchange(
        app.getHttpServer() as Server,
        'POST /send-then-end-again HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n',
      );
      expect(raw.match(/^HTTP\/1\.1 \d{3}.*$/gm)).toEqual([expect.stringMatching(/ 201 /)]);
      expect(raw).toContain('{"first":true}');
      expect(raw).not.toContain('late');
      await capture.waitFor('warn', DROP_WARNING);
      await new Promise((r) => setTimeout(r, 100));
      expect(capture.at('warn').filter((line) => line.includes(DROP_WARNING))).toEqual([
        expect.stringContaining('res.write() was called after the response had ended'),
      ]);
    });
  });
});
