import { Controller, Get, Param, Post, type INestApplication } from '@nestjs/common';
import request from 'supertest';
import { Socket } from 'node:net';
import type { IncomingMessage } from 'node:http';
import {
  SignedCookieSessionFactory,
  type SignedCookieSessionOptions,
} from '../../src/factories/signed-cookie-session.factory';
import type { SessionSerializer } from '../../src/session/serializer';
import { Sessions } from '../../src/request/session.decorator';
import type { SessionContainer } from '../../src/request/session-container';
import { cookiePair, cookieValue, setCookieFor, setCookies } from '../support/cookie-jar';
import { ADAPTERS, createTestApp, SECRET_A, type AdapterName } from '../support/create-test-app';
import { inThePast } from '../support/fake-clock';
import { LogCapture } from '../support/log-capture';

/** Writes the payload as `v1|<json>` and refuses anything else. */
const versionedSerializer: SessionSerializer = {
  serialize: (value) => `v1|${JSON.stringify(value)}`,
  deserialize: (text) => {
    if (!text.startsWith('v1|')) {
      throw new Error('unknown payload version');
    }
    return JSON.parse(text.slice(3)) as unknown;
  },
};

const NAMESPACES: Record<string, Partial<SignedCookieSessionOptions>> = {
  plain: {},
  aged: { maxAge: 3600, path: '/', domain: 'example.test' },
  strict: { sameSite: 'strict', httpOnly: false },
  secure: { secure: true },
  insecure: { secure: false },
  chips: { cookieName: '__Host-chips', secure: true, sameSite: 'none', partitioned: true },
  sha256: { hashAlgorithm: 'sha256' },
  custom: { serializer: versionedSerializer },
  noexc: { setOnException: false },
};

@Controller()
class OptionsController {
  @Post('write/:ns')
  async write(@Sessions() all: SessionContainer, @Param('ns') ns: string): Promise<string> {
    (await all.get(ns))!.set('a', 1);
    return 'ok';
  }

  @Get('read/:ns')
  async read(@Sessions() all: SessionContainer, @Param('ns') ns: string): Promise<unknown> {
    const session = (await all.get(ns))!;
    return { isNew: session.isNew, data: session.toJSON() };
  }

  @Post('fail/:ns')
  async fail(@Sessions() all: SessionContainer, @Param('ns') ns: string): Promise<never> {
    (await all.get(ns))!.set('a', 1);
    throw new Error('handler failed');
  }
}

function cookieNameOf(ns: string): string {
  return NAMESPACES[ns]!.cookieName ?? ns;
}

async function start(
  adapter: AdapterName,
  trustProxy: boolean,
  capture?: LogCapture,
  extra?: (app: INestApplication) => void,
): Promise<INestApplication> {
  return createTestApp({
    adapter,
    trustProxy,
    sessions: Object.entries(NAMESPACES).map(([namespace, options]) => ({
      namespace,
      factory: new SignedCookieSessionFactory({
        secret: SECRET_A,
        cookieName: namespace,
        ...options,
      }),
    })),
    controllers: [OptionsController],
    configure: (a) => {
      if (capture) {
        a.useLogger(capture);
      }
      extra?.(a);
    },
  });
}

/** The attributes of a Set-Cookie header, after the name=value pair. */
function attributes(header: string | undefined): string {
  expect(header).toBeDefined();
  return header!.slice(header!.indexOf(';') + 2);
}

describe.each(ADAPTERS)('SignedCookieSessionFactory options on %s', (adapter) => {
  let app: INestApplication;
  const capture = new LogCapture();

  beforeAll(async () => {
    app = await start(adapter, true, capture);
  }, 60_000);

  afterAll(() => app.close());

  const write = (ns: string, https = false): request.Test => {
    const req = request(app.getHttpServer()).post(`/write/${ns}`);
    return https ? req.set('X-Forwarded-Proto', 'https') : req;
  };

  describe('when only secret and cookieName are set', () => {
    it('should send Path=/, HttpOnly and SameSite=Lax, and no Max-Age, Domain, Secure or Partitioned', async () => {
      const res = await write('plain').expect(201);
      expect(attributes(setCookieFor(res, 'plain'))).toBe('Path=/; HttpOnly; SameSite=Lax');
    });
  });

  describe("when secure is left at 'auto' behind a trusted proxy", () => {
    it('should add Secure when the proxy says https', async () => {
      const res = await write('plain', true).expect(201);
      expect(attributes(setCookieFor(res, 'plain'))).toBe('Path=/; HttpOnly; Secure; SameSite=Lax');
    });
  });

  describe('when maxAge, path and domain are set', () => {
    it('should send them', async () => {
      const res = await write('aged').expect(201);
      expect(attributes(setCookieFor(res, 'aged'))).toBe(
        'Max-Age=3600; Domain=example.test; Path=/; HttpOnly; SameSite=Lax',
      );
    });
  });

  describe("when sameSite is 'strict' and httpOnly is false", () => {
    it('should send SameSite=Strict without HttpOnly', async () => {
      const res = await write('strict').expect(201);
      expect(attributes(setCookieFor(res, 'strict'))).toBe('Path=/; SameSite=Strict');
    });
  });

  describe('when secure is true', () => {
    it('should send the cookie with Secure over https', async () => {
      const res = await write('secure', true).expect(201);
      expect(attributes(setCookieFor(res, 'secure'))).toBe(
        'Path=/; HttpOnly; Secure; SameSite=Lax',
      );
    });

    it('should withhold it over plain http and warn once', async () => {
      capture.clear();
      const res = await write('secure').expect(201);
      expect(setCookies(res)).toEqual([]);
      await capture.waitFor(
        'warn',
        'Namespace "secure": cookie withheld, secure: true but the request is plain http',
      );
      expect(capture.at('warn')).toHaveLength(1);
    });
  });

  describe('when secure is false', () => {
    it('should never send Secure, even over https', async () => {
      const res = await write('insecure', true).expect(201);
      expect(attributes(setCookieFor(res, 'insecure'))).toBe('Path=/; HttpOnly; SameSite=Lax');
    });
  });

  describe('when partitioned is on (CHIPS)', () => {
    it('should send the reference form __Host-name; Secure; Path=/; SameSite=None; Partitioned', async () => {
      const res = await write('chips', true).expect(201);
      expect(attributes(setCookieFor(res, '__Host-chips'))).toBe(
        'Path=/; HttpOnly; Secure; Partitioned; SameSite=None',
      );
    });
  });

  describe("when hashAlgorithm is 'sha256'", () => {
    it('should sign with a 256-bit MAC (43 base64url characters) and read it back', async () => {
      const res = await write('sha256').expect(201);
      const value = cookieValue(res, 'sha256');
      expect(value.slice(value.lastIndexOf('.') + 1)).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const read = await request(app.getHttpServer())
        .get('/read/sha256')
        .set('Cookie', cookiePair(res, 'sha256'))
        .expect(200);
      expect(read.body).toEqual({ isNew: false, data: { a: 1 } });
    });

    it('should sign with a 512-bit MAC (86 characters) by default', async () => {
      const value = cookieValue(await write('plain'), 'plain');
      expect(value.slice(value.lastIndexOf('.') + 1)).toMatch(/^[A-Za-z0-9_-]{86}$/);
    });
  });

  describe('when a serializer is configured', () => {
    it('should encode the payload with it and decode it on the next request', async () => {
      const res = await write('custom').expect(201);
      const value = cookieValue(res, 'custom');
      const payload = Buffer.from(value.slice(0, value.lastIndexOf('.')), 'base64url').toString();
      expect(payload).toMatch(/^v1\|\[\d+,\d+,\{"a":1\}\]$/);
      const read = await request(app.getHttpServer())
        .get('/read/custom')
        .set('Cookie', cookiePair(res, 'custom'))
        .expect(200);
      expect(read.body).toEqual({ isNew: false, data: { a: 1 } });
    });
  });

  describe('when setOnException is false', () => {
    it('should send no cookie when the handler throws', async () => {
      const res = await request(app.getHttpServer()).post('/fail/noexc').expect(500);
      expect(setCookies(res)).toEqual([]);
    });

    it('should still send cookies of namespaces that keep the default', async () => {
      const res = await request(app.getHttpServer()).post('/fail/plain').expect(500);
      expect(setCookieFor(res, 'plain')).toBeDefined();
    });
  });

  describe('when reissueTime (default 120 s) has not passed', () => {
    it('should not re-send the cookie on a read', async () => {
      const old = await inThePast(100, async () => cookiePair(await write('plain'), 'plain'));
      const res = await request(app.getHttpServer())
        .get('/read/plain')
        .set('Cookie', old)
        .expect(200);
      expect(res.body.isNew).toBe(false);
      expect(setCookies(res)).toEqual([]);
    });
  });

  describe('when reissueTime has passed', () => {
    it('should re-send the cookie on a read, so the idle timeout restarts', async () => {
      const old = await inThePast(130, async () => cookiePair(await write('plain'), 'plain'));
      const res = await request(app.getHttpServer())
        .get('/read/plain')
        .set('Cookie', old)
        .expect(200);
      expect(setCookieFor(res, 'plain')).toBeDefined();
      expect(cookiePair(res, 'plain')).not.toBe(old);
    });
  });
});

describe.each(ADAPTERS)(
  "SignedCookieSessionFactory secure: 'auto' without trust proxy on %s",
  (adapter) => {
    let app: INestApplication;

    beforeAll(async () => {
      app = await start(adapter, false);
    }, 60_000);

    afterAll(() => app.close());

    describe('when a client claims https with X-Forwarded-Proto', () => {
      it('should not believe it: no Secure attribute', async () => {
        const res = await request(app.getHttpServer())
          .post('/write/plain')
          .set('X-Forwarded-Proto', 'https')
          .expect(201);
        expect(setCookieFor(res, cookieNameOf('plain'))).not.toContain('Secure');
      });
    });
  },
);

// Express only: it counts the socket address reads of Express's own `req.secure` (trust-proxy
// check). Fastify decides the protocol in its request object, not on the raw request the module
// reads, so there is no such read to count there.
describe("SignedCookieSessionFactory secure: 'auto' on a plain http connection", () => {
  let app: INestApplication;
  /** Reads of `socket.remoteAddress` (Express's trust-proxy check makes one per `req.secure`). */
  let addressReads = 0;

  beforeAll(async () => {
    const descriptor = Object.getOwnPropertyDescriptor(Socket.prototype, 'remoteAddress')!;
    app = await start('express', false, undefined, (a) => {
      a.use((req: IncomingMessage, _res: unknown, next: () => void) => {
        if (!Object.hasOwn(req.socket, 'remoteAddress')) {
          Object.defineProperty(req.socket, 'remoteAddress', {
            get(this: Socket) {
              addressReads++;
              return descriptor.get!.call(this) as string | undefined;
            },
          });
        }
        next();
      });
    });
  }, 60_000);

  afterAll(() => app.close());

  describe('when no X-Forwarded-Proto header came', () => {
    it('should send no Secure attribute, and decide it without reading the remote address (Node would cache it on the connection)', async () => {
      addressReads = 0;
      const res = await request(app.getHttpServer()).post('/write/plain').expect(201);
      expect(setCookieFor(res, cookieNameOf('plain'))).toMatch(/^plain=/);
      expect(setCookieFor(res, cookieNameOf('plain'))).not.toContain('Secure');
      expect(addressReads).toBe(0);
    });
  });

  describe('when an X-Forwarded-Proto header came', () => {
    it("should ask Express's req.secure, which checks the proxy's address", async () => {
      addressReads = 0;
      const res = await request(app.getHttpServer())
        .post('/write/plain')
        .set('X-Forwarded-Proto', 'https')
        .expect(201);
      expect(setCookieFor(res, cookieNameOf('plain'))).not.toContain('Secure');
      expect(addressReads).toBeGreaterThan(0);
    });
  });
});
