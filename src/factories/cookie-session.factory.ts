import { NamespacedSession } from '../session/session';
import { SessionSlot } from '../session/session-slot';
import { markWritten, settleCommit } from '../session/session-state';
import { InvalidSessionNoCookie, type InvalidSession } from '../session/invalid-session.errors';
import { JSON_SERIALIZER, dropReservedKeys, type SessionSerializer } from '../session/serializer';
import { cookieCandidates, pickCookie, refusedCookieReason } from './cookie-candidates';
import { COOKIE_SESSION_BACKEND } from './cookie-session-backend';
import {
  CookieWriter,
  resolveCookieOptions,
  resolveCookiePolicy,
  type ResolvedCookieOptions,
} from './cookie-options';
import { readCookiePayload, type DecodedCookie } from './cookie-payload';
import {
  resolveCookieSessionTimes,
  validateCookieSessionTimes,
  type CookieSessionOptions,
  type CookieSessionTimes,
} from './cookie-session.options';
import type {
  CommitContext,
  CookiePolicy,
  LoadContext,
  SessionFactory,
  SessionHooks,
} from './session-factory.interface';
import { MAX_COOKIE_BYTES } from './session-cookie-too-large.error';
import { LoggerSlot, type SessionLogger } from './session-logger';

/** Cookies longer than this cannot be ours; refuse them before any HMAC work. */
const MAX_INCOMING_COOKIE = MAX_COOKIE_BYTES * 2;

interface CookieExtra {
  renewed: number;
  rotated: boolean;
  hadCookie: boolean;
}

const COOKIE_STATE = new SessionSlot<CookieExtra>('cookie session');

function cookieExtra(session: NamespacedSession): CookieExtra {
  return COOKIE_STATE.get(session);
}

/** What a request's cookie holds for one namespace, decoded without side effects. @internal */
export type CookieReading =
  | { kind: 'absent' }
  | { kind: 'invalid'; reason: InvalidSession }
  | {
      kind: 'valid';
      data: Record<string, unknown>;
      created: number;
      renewed: number;
      rotated: boolean;
      payload: string;
    };

function invalid(reason: InvalidSession): CookieReading {
  return { kind: 'invalid', reason };
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}

/**
 * Session data carried in the cookie itself as `[renewed, created, data]`. The load and commit
 * rules live here once; subclasses only protect the value (HMAC signature or AEAD seal) and
 * check their own keys.
 *
 * @publicApi
 */
export abstract class CookieSessionFactory implements SessionFactory {
  readonly cookieName: string;
  readonly cookieOptions: Readonly<ResolvedCookieOptions>;
  private readonly policy: CookiePolicy;
  private readonly times: CookieSessionTimes;
  private readonly serializer: SessionSerializer;
  private readonly detectChanges: boolean;
  private readonly hooks: SessionHooks;
  private readonly writers = new Map<string, CookieWriter>();
  private readonly logger: LoggerSlot;

  constructor(options: CookieSessionOptions) {
    this.logger = new LoggerSlot(options.logger);
    this.cookieName = options.cookieName;
    this.cookieOptions = resolveCookieOptions(options);
    this.hooks = {
      ...options,
      cookieOnException: options.cookieOnException ?? options.setOnException ?? true,
    };
    this.policy = resolveCookiePolicy(this.hooks, this.cookieOptions);
    this.times = resolveCookieSessionTimes(options);
    this.serializer = options.serializer ?? JSON_SERIALIZER;
    this.detectChanges = options.detectChanges ?? true;
  }

  /** Protects a serialized payload for the cookie of `namespace`. */
  protected abstract encode(payload: string, namespace: string): string;
  /** Returns the payload of a cookie value, or undefined when it is not authentic. */
  protected abstract decode(value: string, namespace: string): DecodedCookie | undefined;
  /** Throws `SessionConfigurationError` for unusable secrets or keys. */
  protected abstract validateKeys(namespace: string): void;
  /** Key facts for `describe()` (counts and algorithms, never key material). */
  protected abstract describeKeys(): Record<string, unknown>;

  validate(namespace: string): void {
    this.validateKeys(namespace);
    validateCookieSessionTimes(namespace, this.times);
  }

  load(ctx: LoadContext): NamespacedSession {
    const read = this.read(ctx);
    if (read.kind === 'absent') {
      if (this.hooks.reportMissingCookie) {
        this.reject(ctx, new InvalidSessionNoCookie(ctx.namespace, 'no session cookie was sent.'));
      }
      return this.fresh(ctx.namespace, false);
    }
    if (read.kind === 'invalid') {
      return this.reject(ctx, read.reason);
    }
    const session = new NamespacedSession({
      namespace: ctx.namespace,
      data: read.data,
      created: read.created,
      isNew: false,
      backend: COOKIE_SESSION_BACKEND,
      // The verified payload text is the baseline: no extra serialisation on the read path.
      baseline: this.detectChanges ? read.payload : undefined,
    });
    const extra: CookieExtra = { renewed: read.renewed, rotated: read.rotated, hadCookie: true };
    COOKIE_STATE.set(session, extra);
    return session;
  }

  /**
   * Decodes the namespace's cookie without building a session, logging or calling a hook (the
   * debug panel's view of a namespace the request did not touch).
   * @internal
   */
  inspect(ctx: LoadContext): CookieReading {
    return this.read(ctx);
  }

  private read(ctx: LoadContext): CookieReading {
    // With repeated cookie names the first authentic value wins.
    const pick = pickCookie(cookieCandidates(ctx, this.cookieName), (raw) =>
      raw.length <= MAX_INCOMING_COOKIE ? this.decode(raw, ctx.namespace) : undefined,
    );
    if (pick.kind === 'absent') {
      return { kind: 'absent' };
    }
    if (pick.kind === 'refused') {
      return { kind: 'invalid', reason: refusedCookieReason(ctx.namespace, pick.reason) };
    }
    const cookie = pick.value;
    const payload = readCookiePayload(
      cookie.payload,
      this.serializer,
      this.times,
      ctx.namespace,
      now(),
    );
    if (!Array.isArray(payload)) {
      return invalid(payload);
    }
    const [renewed, created, data] = payload;
    return {
      kind: 'valid',
      data: dropReservedKeys(data),
      created,
      renewed,
      rotated: cookie.rotated,
      payload: cookie.payload,
    };
  }

  commit(session: NamespacedSession, ctx: CommitContext): void {
    const state = session.state;
    const extra = cookieExtra(session);
    const t = now();
    const empty = session.isEmpty();
    const modified = this.isModified(session);
    let action: 'write' | 'clear' | undefined;
    let json: string | undefined;
    if (empty && (state.invalidated || modified || extra.hadCookie)) {
      // Nothing to keep: make the browser forget a cookie it holds, send nothing otherwise.
      action = extra.hadCookie ? 'clear' : undefined;
    } else if (!empty && (modified || extra.rotated || this.shouldReissue(session, t))) {
      action = 'write';
    }
    if (action === undefined || ctx.cookieVeto(this.policy) !== undefined) {
      return;
    }
    const writer = this.writer(ctx.namespace);
    if (action === 'clear') {
      ctx.setCookie(writer.serializeClear(ctx.req));
      extra.hadCookie = false;
    } else {
      json = this.serializer.serialize([t, session.created, session.dataToWrite()]);
      const value = this.encode(json, ctx.namespace);
      ctx.setCookie(writer.serialize(ctx.req, value, state.recookie));
      extra.renewed = t;
      extra.rotated = false;
      extra.hadCookie = true;
    }
    settleCommit(state);
    if (action === 'write') {
      markWritten(state, this.detectChanges ? json : undefined, false);
    }
  }

  useLogger(logger: SessionLogger): void {
    this.logger.useDefault(logger);
  }

  describe(): Record<string, unknown> {
    return {
      type: this.constructor.name,
      cookie: { ...this.cookieOptions },
      timeout: this.times.timeout,
      reissueTime: this.times.reissueTime,
      maxLifetime: this.times.maxLifetime ?? null,
      ...this.describeKeys(),
      detectChanges: this.detectChanges,
    };
  }

  /** Dirty, or (with change detection) a nested value differs from what was loaded. */
  private isModified(session: NamespacedSession): boolean {
    const state = session.state;
    if (state.dirty || state.regenerated || state.recookie !== undefined) {
      return true;
    }
    // Only a session that handed out references can have been mutated behind our back.
    return (
      this.detectChanges &&
      state.accessed &&
      state.baseline !== undefined &&
      // Same tuple as the cookie holds; a non-canonical custom serializer only costs a re-issue.
      session.serializeData((data) =>
        this.serializer.serialize([cookieExtra(session).renewed, session.created, data]),
      ) !== state.baseline
    );
  }

  /** Re-issue on access once the reissue window has passed, so idle time restarts. */
  private shouldReissue(session: NamespacedSession, t: number): boolean {
    const extra = cookieExtra(session);
    const reissueTime = this.times.reissueTime;
    return !session.isNew && reissueTime !== null && t - extra.renewed > reissueTime;
  }

  private fresh(namespace: string, hadCookie: boolean): NamespacedSession {
    const session = new NamespacedSession({
      namespace,
      data: {},
      created: now(),
      isNew: true,
      backend: COOKIE_SESSION_BACKEND,
      // New and empty: only mutators (which mark the session dirty) can give it data.
      baseline: undefined,
    });
    const extra: CookieExtra = { renewed: 0, rotated: false, hadCookie };
    COOKIE_STATE.set(session, extra);
    return session;
  }

  private reject(ctx: LoadContext, reason: InvalidSession): NamespacedSession {
    // The reason never contains the cookie value.
    this.logger.debug(reason.message);
    try {
      this.hooks.onInvalidSession?.(ctx.req, reason);
    } catch (error) {
      this.logger.error(
        `Namespace "${ctx.namespace}": onInvalidSession threw; ignored.`,
        error instanceof Error ? error.stack : String(error),
      );
    }
    // An invalid cookie still in the browser is cleared when the session stays empty.
    return this.fresh(ctx.namespace, !(reason instanceof InvalidSessionNoCookie));
  }

  private writer(namespace: string): CookieWriter {
    let writer = this.writers.get(namespace);
    if (writer === undefined) {
      writer = new CookieWriter(namespace, this.cookieOptions);
      this.writers.set(namespace, writer);
    }
    return writer;
  }
}
