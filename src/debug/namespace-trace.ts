import type { ServerResponse } from 'node:http';
import type { LoadContext, SessionFactory } from '../factories/session-factory.interface';
import { CookieSessionFactory } from '../factories/cookie-session.factory';
import type { NamespacedSession } from '../session/session';
import { CommitProbe } from './commit-outcome';
import type { CommitOutcome, NamespaceRecord } from './debug-record';
import { keyChanges, keyPrints, snapshot } from './debug-snapshot';
import { fingerprint } from './id-fingerprint';
import { guarded } from './debug-guard';

/**
 * One namespace a request mounted: the data as it came in, each commit's outcome, and the data
 * as it went out. Reads the session with `peekData()` only, so watching never marks it.
 *
 * @internal
 */
export class NamespaceTrace {
  private readonly beforePrints: Map<string, string>;
  private readonly before: Record<string, unknown> | null;
  private readonly idIn: string | undefined;
  private readonly outcomes: CommitOutcome[] = [];
  private after: { view: Record<string, unknown>; prints: Map<string, string> } | undefined;

  constructor(
    readonly session: NamespacedSession | null,
    private readonly factory: SessionFactory,
    private readonly redact: readonly string[],
  ) {
    const data = session?.peekData() ?? {};
    this.beforePrints = keyPrints(data);
    this.before = session === null ? null : snapshot(data, redact);
    this.idIn = session?.id;
  }

  /** Runs one commit and notes what it did; returns or throws exactly what the commit did. */
  commit(res: ServerResponse, run: () => void | Promise<void>): void | Promise<void> {
    const session = this.session!;
    const probe = guarded(() => new CommitProbe(session, this.factory, res));
    const done = (): void => {
      guarded(() => {
        this.takeAfter();
        const changed = keyChanges(this.beforePrints, this.after!.prints);
        const dataChanged =
          changed.added.length + changed.removed.length + changed.changed.length > 0;
        this.note(probe?.outcomes(dataChanged) ?? []);
      });
    };
    const failed = (error: unknown): never => {
      guarded(() => {
        this.takeAfter();
        this.note([CommitProbe.failure(error)]);
      });
      throw error;
    };
    let result: void | Promise<void>;
    try {
      result = run();
    } catch (error) {
      return failed(error);
    }
    if (result === undefined || typeof (result as { then?: unknown }).then !== 'function') {
      done();
      return result;
    }
    return Promise.resolve(result).then(done, failed);
  }

  /** The record of this namespace, with the base facts and the invalid-session reason. */
  record(base: NamespaceRecord, ctx: LoadContext): NamespaceRecord {
    if (this.session === null) {
      return { ...base, touched: true, mount: 'refused-by-discriminator' };
    }
    if (this.after === undefined) {
      this.takeAfter();
    }
    const session = this.session;
    const changes = keyChanges(this.beforePrints, this.after!.prints);
    const idOut = session.id;
    return {
      ...base,
      touched: true,
      mount: 'mounted',
      invalidReason: base.cookiePresent && session.isNew ? this.invalidReason(ctx) : null,
      idIn: this.idIn === undefined ? null : fingerprint(this.idIn),
      idOut: idOut === undefined ? null : fingerprint(idOut),
      before: this.before,
      after: this.after!.view,
      ...changes,
      commit: this.outcomes,
    };
  }

  private takeAfter(): void {
    const data = this.session!.peekData();
    this.after = { view: snapshot(data, this.redact), prints: keyPrints(data) };
  }

  private note(outcomes: CommitOutcome[]): void {
    for (const o of outcomes) {
      if (!this.outcomes.includes(o)) {
        this.outcomes.push(o);
      }
    }
  }

  /** A cookie came but the session is new: the cookie was refused. */
  private invalidReason(ctx: LoadContext): string {
    if (this.factory instanceof CookieSessionFactory) {
      const reading = this.factory.inspect(ctx);
      if (reading.kind === 'invalid') {
        return `${reading.reason.name}: ${reading.reason.message}`;
      }
    }
    return "The cookie was refused (bad signature, expired, or no such session in the store); the namespace's onInvalidSession hook receives the exact reason.";
  }
}
