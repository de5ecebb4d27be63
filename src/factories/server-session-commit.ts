import type { Signer } from '../crypto/signer';
import type { NamespacedSession } from '../session/session';
import type { ServerSessionState } from './server-session-backend';
import type { ServerSessionOwners } from './server-session-owners';
import type { ServerSessionSettings } from './server-session.options';
import { nowSeconds, type ServerSessionWriter } from './server-session-writer';
import type { CommitContext, CookiePolicy } from './session-factory.interface';
import type { CarrierOverrides, IdCarrier } from './transports/id-carrier';

/** What the commit shares with its factory. @internal */
export interface ServerSessionCommitDeps {
  settings: ServerSessionSettings;
  writer: ServerSessionWriter;
  owners: ServerSessionOwners;
  policy: CookiePolicy;
  carrier: IdCarrier;
  signer: () => Signer;
  /** A cookie `Max-Age` is configured (what `rolling` renews). */
  hasMaxAge: boolean;
}

/**
 * The commit half of {@link ServerSessionFactory}: the end-of-request decision (write, refresh,
 * delete, hand the id to the client, or nothing).
 *
 * @internal
 */
export class ServerSessionCommit {
  private readonly settings: ServerSessionSettings;
  private readonly writer: ServerSessionWriter;
  private readonly owners: ServerSessionOwners;
  private readonly policy: CookiePolicy;
  private readonly carrier: IdCarrier;
  private readonly signer: () => Signer;
  private readonly hasMaxAge: boolean;

  constructor(deps: ServerSessionCommitDeps) {
    this.settings = deps.settings;
    this.writer = deps.writer;
    this.owners = deps.owners;
    this.policy = deps.policy;
    this.carrier = deps.carrier;
    this.signer = deps.signer;
    this.hasMaxAge = deps.hasMaxAge;
  }

  /**
   * The end-of-request decision. Returns the pending store call, if any; the id is handed to the
   * client once it succeeded.
   */
  persist(
    session: NamespacedSession,
    state: ServerSessionState,
    ctx: CommitContext,
  ): Promise<void> | undefined {
    const mark = this.carrier.mark;
    if (mark !== undefined) {
      mark(ctx);
    }
    const settings = this.settings;
    const writer = this.writer;
    const modified = this.isModified(session);
    if (
      session.isEmpty() &&
      (settings.invalidateEmptySession || (state.id === undefined && !modified))
    ) {
      return this.discard(state, ctx);
    }
    if (state.id === undefined) {
      // A vetoed cookie must not leave a record nobody can name.
      if (!modified || this.vetoed(ctx)) {
        return undefined;
      }
      if (writer.isExpired(session, nowSeconds())) {
        return this.discard(state, ctx);
      }
      const recookie = session.state.recookie;
      return writer
        .create(session, state)
        .then((id) => {
          state.id = id;
          return this.owners.indexOwner(session, state);
        })
        .then(() => this.sendId(state, ctx, recookie));
    }
    const id = state.id;
    // Read now: the container settles the session's flags once this method returns, before the
    // store call completes.
    const recookie = session.state.recookie;
    const needsId = !state.browserHasId || state.rotated || recookie !== undefined;
    if ((modified || needsId) && this.vetoed(ctx)) {
      if (state.browserHasId) {
        return undefined;
      }
      // ensureId() wrote a record that the client will never be told about.
      return writer.remove(ctx.namespace, id).then(() => {
        state.id = undefined;
      });
    }
    const now = nowSeconds();
    let write: Promise<void> | undefined;
    let refresh = false;
    if (modified || writer.inTriggerWindow(session, now)) {
      if (writer.isExpired(session, now)) {
        return this.discard(state, ctx);
      }
      write = writer.rewrite(session, state, id).then(() => this.owners.indexOwner(session, state));
      refresh = !modified;
    } else if (writer.needsTouch(session)) {
      write = writer.touch(session, id, now);
      refresh = write !== undefined;
    }
    if (refresh) {
      // Only keeping the session alive: a store that fails now must not fail a read.
      write = write!.catch(() => {
        state.refreshFailed = true;
      });
    }
    const rolling = refresh && this.rolls() && !needsId && !this.vetoed(ctx);
    if (!needsId && !rolling) {
      return write;
    }
    if (write === undefined) {
      this.sendId(state, ctx, recookie);
      return undefined;
    }
    return write.then(() => {
      if (!state.refreshFailed) {
        this.sendId(state, ctx, recookie);
      }
    });
  }

  /** `rolling`: a refreshed session re-sends a cookie that would otherwise expire. */
  private rolls(): boolean {
    return this.settings.rolling && this.hasMaxAge;
  }

  /** Nothing to keep: delete the record, and make the client forget an id it holds. */
  private discard(state: ServerSessionState, ctx: CommitContext): Promise<void> | undefined {
    if (state.id === undefined) {
      this.clearId(state, ctx);
      return undefined;
    }
    return this.writer.remove(ctx.namespace, state.id).then(() => {
      state.id = undefined;
      this.clearId(state, ctx);
    });
  }

  private clearId(state: ServerSessionState, ctx: CommitContext): void {
    if (state.browserHasCookie && !this.vetoed(ctx)) {
      this.carrier.clear(ctx);
      state.browserHasCookie = false;
      state.browserHasId = false;
    }
  }

  /** Dirty, regenerated, or (with change detection) a value handed out was mutated in place. */
  private isModified(session: NamespacedSession): boolean {
    const s = session.state;
    if (s.dirty || s.regenerated) {
      return true;
    }
    return (
      this.settings.detectChanges &&
      s.accessed &&
      session.serializeData((data) => JSON.stringify(data)) !== s.baseline
    );
  }

  private vetoed(ctx: CommitContext): boolean {
    return ctx.cookieVeto(this.policy) !== undefined;
  }

  private sendId(state: ServerSessionState, ctx: CommitContext, overrides: CarrierOverrides): void {
    const value = this.signer().sign(state.id!, ctx.namespace);
    this.carrier.send(ctx, value, overrides);
    state.browserHasId = true;
    state.browserHasCookie = true;
    state.rotated = false;
  }
}
