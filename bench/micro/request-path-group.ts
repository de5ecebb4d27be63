/**
 * The library's own work for one request, without HTTP or a network store: a container on a real
 * IncomingMessage / ServerResponse pair, the namespace loaded from the request's cookie, one read
 * or write, and the commit the response gate runs before the headers. MemoryStore stands in for
 * Redis, so the numbers hold our code only (cookie parsing, HMAC, payload decode and encode,
 * change detection, commit decisions).
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import {
  MemoryStore,
  ServerSessionFactory,
  SessionContainer,
  SessionRegistry,
  SignedCookieSessionFactory,
} from '../../src/index';
import { BENCH_SECRET } from '../support/variants';
import type { MicroGroup } from './harness';
import { mediumSession } from './server-groups';

type Step = (container: SessionContainer) => Promise<void>;

function registry(): SessionRegistry {
  const store = new MemoryStore();
  const server = (cookieName: string) =>
    new ServerSessionFactory({
      secret: BENCH_SECRET,
      cookieName,
      store,
      timeout: 1200,
      // As the ours-redis-trigger variant: a read is one store get.
      timeoutTrigger: 600,
    });
  const reg = new SessionRegistry();
  reg.register([
    {
      namespace: 'signed',
      factory: new SignedCookieSessionFactory({ secret: BENCH_SECRET, cookieName: 'sc' }),
    },
    { namespace: 'small', factory: server('small') },
    { namespace: 'medium', factory: server('medium') },
  ]);
  reg.freeze();
  return reg;
}

function exchange(reg: SessionRegistry, socket: Socket, cookie: string): SessionContainer {
  const req = new IncomingMessage(socket);
  req.headers = { cookie };
  return new SessionContainer(reg, req, new ServerResponse(req));
}

/** Runs the three namespaces' first request and returns the Cookie header a browser would send. */
async function prime(reg: SessionRegistry, socket: Socket): Promise<string> {
  const container = exchange(reg, socket, '');
  (await container.get('signed'))!.set('counter', 1);
  (await container.get('small'))!.set('counter', 1);
  (await container.get('medium'))!.update({ ...mediumSession(), counter: 1 });
  await container.commit(false);
  const setCookie = container.res.getHeader('set-cookie') as string[];
  return setCookie.map((c) => c.slice(0, c.indexOf(';'))).join('; ');
}

export async function requestPathGroup(): Promise<MicroGroup> {
  const reg = registry();
  const socket = new Socket();
  const cookie = await prime(reg, socket);
  const request = (namespace: string, step: Step) => async () => {
    const container = exchange(reg, socket, cookie);
    await step(container);
    await container.commitBeforeHeaders();
  };
  const readCounter =
    (ns: string): Step =>
    async (c) => {
      (await c.get(ns))!.get('counter');
    };
  return {
    title: 'Request path, library only (load, one read or write, commit)',
    reference: 'signed cookie, read a number',
    note: 'Our code alone for one request, on a real IncomingMessage/ServerResponse: cookie parsing, HMAC-SHA512 check, payload decode, the change check and the commit decision. MemoryStore stands in for Redis (no network), with the timeout trigger of the ours-redis-trigger variant (a read is one store get). The mid-size session is the ~700-byte one of the change-detection group. Reading a number hands out no reference, so no change check runs; reading the cart does run it.',
    cases: [
      { name: 'signed cookie, read a number', fn: request('signed', readCounter('signed')) },
      {
        name: 'server-side, small session, read a number',
        fn: request('small', readCounter('small')),
      },
      {
        name: 'server-side, mid-size session, read a number',
        fn: request('medium', readCounter('medium')),
      },
      {
        name: 'server-side, mid-size session, read the cart object',
        fn: request('medium', async (c) => {
          (await c.get('medium'))!.get('cart');
        }),
      },
      {
        name: 'server-side, mid-size session, write a number',
        fn: request('medium', async (c) => {
          const s = (await c.get('medium'))!;
          s.set('counter', (s.get('counter') as number) + 1);
        }),
      },
    ],
  };
}
