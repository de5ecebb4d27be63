import type { SessionLogger } from './session-logger';
import type { OutageLog } from './outage-log';
import type { Signer } from '../crypto/signer';
import { isPlausibleSessionId } from '../crypto/session-id';
import { NamespacedSession } from '../session/session';
import {
  InvalidSessionDeserialization,
  InvalidSessionLegacyPayload,
  InvalidSessionLifetime,
  InvalidSessionNoCookie,
  InvalidSessionNotInStore,
  InvalidSessionTimeout,
  type InvalidSession,
} from '../session/invalid-session.errors';
import type { SessionSerializer } from '../session/serializer';
import {
  decodePayload,
  RawDeserializationError,
  type SessionPayload,
} from '../stores/payload-serializer';
import { SessionStoreError } from '../stores/session-store.error';
import type { SessionStore } from '../stores/session-store.interface';
import { storeKey } from '../stores/store-key';
import type { LoadContext, SessionHooks } from './session-factory.interface';
import { pickCookie, refusedCookieReason } from './cookie-candidates';
import type { IdCarrier } from './transports/id-carrier';
import {
  attachServerState,
  newServerState,
  type ServerSessionBackend,
  type ServerSessionState,
} from './server-session-backend';
import type { ServerSessionSettings } from './server-session.options';
import { nowSeconds, type ServerSessionWriter } from './server-session-writer';

/** A signed id is about 130 characters; anything far longer is refused before HMAC work. */
const MAX_INCOMING_COOKIE = 1024;

/** What the loader shares with its factory. @internal */
export interface ServerSessionLoaderDeps {
  carrier: IdCarrier;
  signer: () => Signer;
  store: SessionStore;
  settings: ServerSessionSettings;
  serializer: SessionSerializer;
  hooks: SessionHooks;
  backend: ServerSessionBackend;
  writer: ServerSessionWriter;
  logger: SessionLogger;
  outage: OutageLog;
}

/**
 * The load half of {@link ServerSessionFactory}: cookie → signature → id shape → one store read →
 * payload checks. Every refusal gives a new lazy session and reports an `InvalidSession*` reason;
 * nothing reaches the store before the signature and the id shape are checked.
 *
 * @internal
 */
export class ServerSessionLoader {
  constructor(private readonly deps: ServerSessionLoaderDeps) {}

  /**
   * Synchronous when no store read is needed (no cookie, a refused cookie); otherwise the one
   * store read's promise, with no other async frames on the way (this is every request's path).
   */
  load(ctx: LoadContext): NamespacedSession | Promise<NamespacedSession> {
    const { carrier, settings, store } = this.deps;
    const ns = ctx.namespace;
    // With repeated values (cookie names, headers, parameters) the first that verifies wins.
    const pick = pickCookie(carrier.candidates(ctx), (raw) =>
      raw.length <= MAX_INCOMING_COOKIE ? this.deps.signer().unsign(raw, ns) : undefined,
    );
    if (pick.kind === 'absent') {
      // Most visitors simply have no cookie yet: not worth a report unless asked.
      if (this.deps.hooks.reportMissingCookie) {
        this.report(ctx, new InvalidSessionNoCookie(ns, 'no session cookie was sent.'));
      }
      return this.fresh(ns, newServerState());
    }
    if (pick.kind === 'refused') {
      return this.reject(ctx, refusedCookieReason(ns, pick.reason));
    }
    const unsigned = pick.value;
    const id = unsigned.payload;
    if (!isPlausibleSessionId(id)) {
      return this.reject(
        ctx,
        new InvalidSessionDeserialization(
          ns,
          'the session cookie does not hold a valid session id.',
        ),
      );
    }
    const key = storeKey(id);
    const touchTtl = settings.touchOnRead && store.getAndTouch ? settings.timeout! : undefined;
    let read: Promise<string | undefined>;
    try {
      // Promise.resolve: a custom store may return a plain value or a bare thenable.
      read = Promise.resolve(
        touchTtl === undefined ? store.get(key) : store.getAndTouch!(key, touchTtl),
      );
    } catch (cause) {
      read = Promise.reject(cause);
    }
    return read.then(
      (text) => {
        this.deps.outage.succeeded(ns);
        return this.loaded(ctx, key, id, unsigned.secretIndex, touchTtl, text);
      },
      (cause: unknown) => {
        const operation = touchTtl === undefined ? 'get' : 'getAndTouch';
        this.deps.outage.failed(ns, operation, cause);
        return this.unavailable(ctx, operation, cause);
      },
    );
  }

  /** The store answered: payload checks, then the session. */
  private loaded(
    ctx: LoadContext,
    key: string,
    id: string,
    secretIndex: number,
    touchTtl: number | undefined,
    text: string | undefined,
  ): NamespacedSession | Promise<NamespacedSession> {
    const { settings, store } = this.deps;
    const ns = ctx.namespace;
    if (text === undefined) {
      return this.reject(
        ctx,
        new InvalidSessionNotInStore(
          ns,
          'the session id is not in the store (expired, evicted or never issued).',
        ),
      );
    }
    const decoded = decodePayload(text, this.deps.serializer);
    if (!decoded.ok) {
      if (decoded.legacy) {
        return this.reject(
          ctx,
          new InvalidSessionLegacyPayload(
            ns,
            'the stored payload has no version or an older format.',
          ),
        );
      }
      if (!settings.deserializedFailsNew) {
        throw new RawDeserializationError(ns, decoded.cause);
      }
      return this.reject(
        ctx,
        new InvalidSessionDeserialization(ns, 'the stored payload could not be deserialized.', {
          cause: decoded.cause,
        }),
      );
    }
    const expired = this.expiryReason(ns, decoded.payload);
    if (expired !== undefined) {
      // Outlived its payload expiry (LRU mode, a longer TTL): removed so it cannot come back.
      let removal: Promise<void>;
      try {
        removal = Promise.resolve(store.delete(key));
      } catch (cause) {
        removal = Promise.reject(cause);
      }
      return removal.then(
        () => this.reject(ctx, expired),
        (cause: unknown) => this.unavailable(ctx, 'delete', cause),
      );
    }
    const { m, c, t, x, o } = decoded.payload;
    const state: ServerSessionState = {
      id,
      browserHasId: true,
      browserHasCookie: true,
      rotated: secretIndex > 0,
      timeout: t,
      expires: x,
      ttlFresh: false,
      detached: false,
      failed: false,
      refreshFailed: false,
      owner: o,
      ownerChanged: false,
      regenerating: undefined,
      loaded: text,
      key,
      keyId: id,
    };
    const session = this.session(ns, m, c, false, state);
    // GETEX used the namespace timeout; a per-session one still needs its own EXPIRE.
    state.ttlFresh =
      touchTtl !== undefined && this.deps.writer.ttlFor(session, nowSeconds()) === touchTtl;
    return session;
  }

  /** A new, empty session with no id (created lazily at the end of the request). */
  fresh(namespace: string, state: ServerSessionState): NamespacedSession {
    return this.session(namespace, {}, nowSeconds(), true, state);
  }

  private session(
    namespace: string,
    data: Record<string, unknown>,
    created: number,
    isNew: boolean,
    state: ServerSessionState,
  ): NamespacedSession {
    const session = new NamespacedSession({
      namespace,
      data,
      created,
      isNew,
      backend: this.deps.backend,
      // Taken only if the request is handed a reference into the data (see SessionState).
      baseline: undefined,
      baselinePending: this.deps.settings.detectChanges,
    });
    attachServerState(session, state);
    return session;
  }

  private expiryReason(ns: string, payload: SessionPayload): InvalidSession | undefined {
    const now = nowSeconds();
    const max = this.deps.settings.maxLifetime;
    if (payload.x !== undefined && now >= payload.x) {
      return new InvalidSessionTimeout(ns, 'the session expiry stored in its payload has passed.');
    }
    if (max !== undefined && now - payload.c >= max) {
      return new InvalidSessionLifetime(ns, `the session is older than maxLifetime (${max} s).`);
    }
    return undefined;
  }

  private reject(ctx: LoadContext, reason: InvalidSession): NamespacedSession {
    this.report(ctx, reason);
    // The refused cookie is cleared at the end of the request if the session stays empty.
    return this.fresh(ctx.namespace, newServerState({ browserHasCookie: true }));
  }

  private report(ctx: LoadContext, reason: InvalidSession): void {
    // The reason never contains the cookie value or the id.
    this.deps.logger.debug(reason.message);
    try {
      this.deps.hooks.onInvalidSession?.(ctx.req, reason);
    } catch (error) {
      this.deps.logger.error(
        `Namespace "${ctx.namespace}": onInvalidSession threw; ignored.`,
        error instanceof Error ? error.stack : String(error),
      );
    }
  }

  /** A store failure while loading: 503 by default, or an empty session that is never saved. */
  private unavailable(ctx: LoadContext, operation: string, cause: unknown): NamespacedSession {
    const error = new SessionStoreError(ctx.namespace, this.deps.store.name, operation, cause);
    if (!this.deps.settings.failOpen) {
      throw error;
    }
    // Logged once per outage by the outage log.
    return this.fresh(ctx.namespace, newServerState({ detached: true }));
  }
}
