/**
 * One factory's typed book-keeping for each of its sessions, kept beside the session rather
 * than in it, so no user key and no other factory can reach it.
 *
 * @internal
 */
export class SessionSlot<T> {
  private readonly values = new WeakMap<object, T>();

  constructor(private readonly owner: string) {}

  set(session: object, value: T): void {
    this.values.set(session, value);
  }

  get(session: object): T {
    const value = this.values.get(session);
    if (value === undefined) {
      throw new TypeError(`This session was not created by a ${this.owner} factory.`);
    }
    return value;
  }
}
