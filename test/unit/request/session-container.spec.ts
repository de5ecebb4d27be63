import { jest } from '@jest/globals';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { resolveCookieOptions } from '../../../src/factories/cookie-options';
import type {
  CommitContext,
  LoadContext,
  SessionFactory,
  SessionRequest,
} from '../../../src/factories/session-factory.interface';
import type { Discriminator } from '../../../src/module/session-multi-options.interface';
import { SessionRegistry } from '../../../src/module/session-registry';
import { SessionContainer } from '../../../src/request/session-container';
import { SessionStoreUnavailableException } from '../../../src/request/session-store-unavailable.exception';
import { UnknownNamespaceError } from '../../../src/request/unknown-namespace.error';
import { COOKIE_SESSION_BACKEND } from '../../../src/factories/cookie-session-backend';
import { NamespacedSession } from '../../../src/session/session';
import { SessionStoreError } from '../../../src/stores/session-store.error';

interface StubFactory extends SessionFactory {
  load: jest.Mock<SessionFactory['load']>;
  commit: jest.Mock<(s: NamespacedSession, ctx: CommitContext) => void>;
}

function stubFactory(cookieName: string, data: Record<string, unknown> = {}): StubFactory {
  return {
    cookieName,
    cookieOptions: resolveCookieOptions({ cookieName }),
    load: jest.fn<SessionFactory['load']>(
      (ctx: LoadContext) =>
        new NamespacedSession({
          namespace: ctx.namespace,
          data: { ...data },
          created: 1,
          isNew: Object.keys(data).length === 0,
          backend: COOKIE_SESSION_BACKEND,
          baseline: JSON.stringify(data),
        }),
    ),
    commit: jest.fn(),
    describe: () => ({}),
  };
}

function setup(discriminators: Record<string, Discriminator> = {}): {
  container: SessionContainer;
  ui: StubFactory;
  cart: StubFactory;
  req: SessionRequest;
  res: ServerResponse;
} {
  const ui = stubFactory('ui', { theme: 'dark' });
  const cart = stubFactory('cart');
  const registry = new SessionRegistry();
  registry.register([
    { namespace: 'ui', factory: ui, discriminator: discriminators['ui'] },
    { namespace: 'cart', factory: cart, discriminator: discriminators['cart'] },
  ]);
  const req = new IncomingMessage(new Socket()) as SessionRequest;
  req.headers.cookie = 'ui=abc; cart=def';
  const res = new ServerResponse(req);
  return { container: new SessionContainer(registry, req, res), ui, cart, req, res };
}

describe('SessionContainer', () => {
  describe('when created', () => {
    it('should load nothing and list every namespace', () => {
      const { container, ui, cart, res } = setup();
      expect(container.namespaces).toEqual(['ui', 'cart']);
      expect(container.isLoaded('ui')).toBe(false);
      expect(ui.load).not.toHaveBeenCalled();
      expect(cart.load).not.toHaveBeenCalled();
      expect(res.getHeader('vary')).toBeUndefined();
      expect(container.needsCommit()).toBe(false);
    });
  });

  describe('when a namespace is asked for', () => {
    it('should load it once per request and return the same session', async () => {
      const { container, ui, cart } = setup();
      const [a, b] = await Promise.all([container.get('ui'), container.get('ui')]);
      const c = await container.get('ui');
      expect(a).toBe(b);
      expect(a).toBe(c);
      expect(a?.get('theme')).toBe('dark');
      expect(ui.load).toHaveBeenCalledTimes(1);
      expect(cart.load).not.toHaveBeenCalled();
      expect(container.isLoaded('ui')).toBe(true);
      expect(container.isLoaded('cart')).toBe(false);
    });

    it('should give the factory the namespace, the request and the parsed cookies', async () => {
      const { container, ui, req } = setup();
      await container.get('ui');
      expect(ui.load).toHaveBeenCalledTimes(1);
      const ctx = ui.load.mock.calls[0]![0];
      expect(ctx.namespace).toBe('ui');
      expect(ctx.req).toBe(req);
      expect({ ...ctx.cookies }).toEqual({ ui: 'abc', cart: 'def' });
      expect(ctx.cookieValues?.('cart')).toEqual(['def']);
    });

    it('should add Vary: Cookie to the response', async () => {
      const { container, res } = setup();
      await container.get('cart');
      expect(res.getHeader('vary')).toBe('Cookie');
    });
  });

  describe('when the namespace is not registered', () => {
    it('should reject with UnknownNamespaceError listing the known namespaces', async () => {
      const { container } = setup();
      await expect(container.get('carts')).rejects.toThrow(
        new UnknownNamespaceError('carts', ['ui', 'cart']),
      );
      await expect(container.get('carts')).rejects.toThrow(
        'Unknown session namespace "carts". Registered namespaces: "ui", "cart". Register it in SessionMultiModule.forRoot(), forRootAsync() or forFeature().',
      );
    });
  });

  describe('when a discriminator says no', () => {
    it('should mount null, never call the factory and ask the discriminator once', async () => {
      const discriminator = jest.fn<Discriminator>(() => false);
      const { container, cart, req } = setup({ cart: discriminator });
      expect(await container.get('cart')).toBeNull();
      expect(await container.get('cart')).toBeNull();
      expect(discriminator).toHaveBeenCalledTimes(1);
      expect(discriminator).toHaveBeenCalledWith(req);
      expect(cart.load).not.toHaveBeenCalled();
      expect(container.isLoaded('cart')).toBe(true);
    });

    it('should wait for an async discriminator', async () => {
      const { container, cart } = setup({ cart: () => Promise.resolve(false) });
      expect(await container.get('cart')).toBeNull();
      expect(cart.load).not.toHaveBeenCalled();
    });

    it('should not add Vary: Cookie for a null mount', async () => {
      const { container, res } = setup({ cart: () => false });
      await container.get('cart');
      expect(res.getHeader('vary')).toBeUndefined();
    });
  });

  describe('when a discriminator says yes', () => {
    it('should load the session', async () => {
      const { container, ui } = setup({ ui: () => Promise.resolve(true) });
      const session = await container.get('ui');
      expect(session?.namespace).toBe('ui');
      expect(session?.get('theme')).toBe('dark');
      expect(container.isLoaded('ui')).toBe(true);
      expect(ui.load).toHaveBeenCalledTimes(1);
    });
  });

  describe('when committing', () => {
    it('should commit each loaded session once and skip null mounts', async () => {
      const { container, ui, cart } = setup({ cart: () => false });
      const session = await container.get('ui');
      await container.get('cart');
      expect(container.needsCommit()).toBe(true);
      await container.commit(false);
      expect(ui.commit).toHaveBeenCalledTimes(1);
      expect(ui.commit.mock.calls[0]![0]).toBe(session);
      expect(ui.commit.mock.calls[0]![1]).toMatchObject({ namespace: 'ui', exception: false });
      expect(cart.commit).not.toHaveBeenCalled();
      expect(container.needsCommit()).toBe(false);
    });

    it('should need another commit after the session changes again', async () => {
      const { container } = setup();
      const session = await container.get('ui');
      await container.commit(false);
      session!.set('theme', 'light');
      expect(container.needsCommit()).toBe(true);
    });

    it('should pass the exception flag to the factory', async () => {
      const { container, ui } = setup();
      await container.get('ui');
      await container.commit(true);
      expect(ui.commit.mock.calls[0]![1].exception).toBe(true);
    });

    it('should turn a store failure into a 503 exception', async () => {
      const { container, ui } = setup();
      await container.get('ui');
      ui.commit.mockImplementationOnce(() => {
        throw new SessionStoreError('ui', 'RedisStore', 'set', new Error('ECONNREFUSED'));
      });
      await expect(container.commit(false)).rejects.toBeInstanceOf(
        SessionStoreUnavailableException,
      );
    });

    it('should let other commit failures through unchanged', async () => {
      const { container, ui } = setup();
      await container.get('ui');
      const boom = new Error('boom');
      ui.commit.mockImplementationOnce(() => {
        throw boom;
      });
      await expect(container.commit(false)).rejects.toBe(boom);
    });

    it('should not ask for the failed commit again on the same request (no second store call)', async () => {
      const { container, ui } = setup();
      await container.get('ui');
      ui.commit.mockImplementationOnce(() => {
        throw new Error('boom');
      });
      await expect(container.commit(false)).rejects.toThrow('boom');
      // The response gate only commits when needsCommit() is true.
      expect(container.needsCommit()).toBe(false);
      expect(ui.commit).toHaveBeenCalledTimes(1);
    });
  });

  describe('when loading fails in the store', () => {
    it('should reject with a 503 exception', async () => {
      const { container, ui } = setup();
      ui.load.mockImplementationOnce(() => {
        throw new SessionStoreError('ui', 'RedisStore', 'get', new Error('timeout'));
      });
      await expect(container.get('ui')).rejects.toBeInstanceOf(SessionStoreUnavailableException);
    });
  });

  describe('when the response gate decides about exceptions', () => {
    it('should treat an error status without the interceptor as an exception (guards, filters)', async () => {
      const { container, ui, res } = setup();
      await container.get('ui');
      res.statusCode = 403;
      await container.commitBeforeHeaders();
      expect(ui.commit.mock.calls[0]![1].exception).toBe(true);
    });

    it('should not treat a success status without the interceptor as an exception', async () => {
      const { container, ui } = setup();
      await container.get('ui');
      await container.commitBeforeHeaders();
      expect(ui.commit.mock.calls[0]![1].exception).toBe(false);
    });

    it('should trust the interceptor when it saw the request', async () => {
      const { container, ui, res } = setup();
      await container.get('ui');
      container.interceptorEntered = true;
      res.statusCode = 500;
      await container.commitBeforeHeaders();
      expect(ui.commit.mock.calls[0]![1].exception).toBe(false);
      container.exceptionSeen = true;
      await container.commitBeforeHeaders();
      expect(ui.commit.mock.calls[1]![1].exception).toBe(true);
    });
  });

  describe('when invalidating every namespace', () => {
    it('should load each mounted namespace and invalidate it', async () => {
      const { container, ui, cart } = setup({ cart: () => false });
      await container.invalidateAll();
      expect(ui.load).toHaveBeenCalledTimes(1);
      expect(cart.load).not.toHaveBeenCalled();
      const session = await container.get('ui');
      expect(session!.state.invalidated).toBe(true);
      expect(session!.size).toBe(0);
    });
  });

  describe('when regenerating every namespace', () => {
    it('should regenerate sessions that hold data and leave new ones alone', async () => {
      const { container } = setup();
      await container.regenerateAll();
      expect((await container.get('ui'))!.state.regenerated).toBe(true);
      expect((await container.get('cart'))!.state.regenerated).toBe(false);
    });
  });
});
