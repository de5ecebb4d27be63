import { Controller, Get, Res, type INestApplication } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import request from 'supertest';
import { ServerSessionFactory } from '../../src/factories/server-session.factory';
import { Session } from '../../src/request/session.decorator';
import { setCookieFor } from '../support/cookie-jar';
import { ADAPTERS, createTestApp, SECRET_A } from '../support/create-test-app';
import { sendStream, type NativeResponse } from '../support/native-response';
import { SlowSetStore } from '../support/slow-stores';

const CHUNK = 64 * 1024;
const TOTAL = 50 * 1024 * 1024;

/** The bytes chunk `i` holds: its index in every byte, so a lost or reordered chunk shows. */
function chunkAt(i: number): Buffer {
  return Buffer.alloc(CHUNK, i % 256);
}

function expectedHash(): string {
  const hash = createHash('sha256');
  for (let i = 0; i < TOTAL / CHUNK; i++) {
    hash.update(chunkAt(i));
  }
  return hash.digest('hex');
}

/** What the source of the last request produced, and how much of it before the commit resolved. */
const probe = { produced: 0, atCommit: -1 };

/** 50 MiB in 64 KiB chunks, each made only when the stream asks for it. */
function source(): Readable {
  let next = 0;
  probe.produced = 0;
  probe.atCommit = -1;
  return new Readable({
    highWaterMark: CHUNK,
    read() {
      if (next === TOTAL / CHUNK) {
        this.push(null);
        return;
      }
      probe.produced += CHUNK;
      this.push(chunkAt(next++));
    },
  });
}

const store = new SlowSetStore(200);
store.onSetResolved = () => {
  if (probe.atCommit === -1) {
    probe.atCommit = probe.produced;
  }
};

@Controller()
class DownloadController {
  @Get('big')
  big(@Session('srv') srv: Session, @Res() res: NativeResponse): void {
    srv.set('downloaded', true);
    sendStream(res, source(), 'application/octet-stream');
  }
}

describe.each(ADAPTERS)('ResponseNet backpressure on %s', (adapter) => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createTestApp({
      adapter,
      sessions: [
        {
          namespace: 'srv',
          factory: new ServerSessionFactory({ secret: SECRET_A, cookieName: 'srv', store }),
        },
      ],
      controllers: [DownloadController],
    });
  }, 60_000);

  afterAll(() => app.close());

  describe('when a 50 MiB stream is piped through @Res() while the commit is pending', () => {
    it('should hold the source to one chunk plus its highWaterMark and deliver every byte', async () => {
      const res = await request(app.getHttpServer())
        .get('/big')
        .buffer(true)
        .parse((stream, done) => {
          const hash = createHash('sha256');
          let length = 0;
          stream.on('data', (chunk: Buffer) => {
            length += chunk.length;
            hash.update(chunk);
          });
          stream.on('end', () => done(null, { length, hash: hash.digest('hex') }));
          stream.on('error', done);
        })
        .expect(200);

      console.log(`${adapter}: bytes produced before the commit resolved: ${probe.atCommit}`);
      expect(probe.atCommit).toBeGreaterThan(0);
      expect(probe.atCommit).toBeLessThanOrEqual(CHUNK + CHUNK);
      expect(setCookieFor(res, 'srv')).toMatch(/^srv=/);
      expect(res.body).toEqual({ length: TOTAL, hash: expectedHash() });
    }, 60_000);
  });
});
