import type { SessionState } from './session-state';

/**
 * One factory's typed book-keeping for each of its sessions, kept in the session's internal
 * state rather than in its data, so no user key can reach it, and readable only through the
 * slot that wrote it, so no other factory can. Two fields of the state rather than a WeakMap
 * keyed by the session: a WeakMap entry per request is costly for the garbage collector.
 *
 * @internal
 */
export class SessionSlot<T> {
  constructor(private readonly owner: string) {}

  set(session: { readonly state: SessionState }, value: T): void {
    session.state.slotOwner = this;
    session.state.slotValue = value;
  }

  get(session: { readonly state: SessionState }): T {
    const state = session.state;
    if (state.slotOwner !== this) {
      throw new TypeError(`This session was not created by a ${this.owner} factory.`);
    }
    return state.slotValue as T;
  }
}
