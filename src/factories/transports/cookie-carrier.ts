import { cookieCandidates } from '../cookie-candidates';
import { CookieWriter, type ResolvedCookieOptions } from '../cookie-options';
import type { CommitContext, LoadContext } from '../session-factory.interface';
import type { CarrierOverrides, IdCarrier } from './id-carrier';

/** {@link cookieTransport}: the id in the namespace's cookie. @internal */
export class CookieCarrier implements IdCarrier {
  readonly mark = undefined;
  private writer: CookieWriter | undefined;

  constructor(private readonly options: Readonly<ResolvedCookieOptions>) {}

  candidates(ctx: LoadContext): readonly unknown[] {
    return cookieCandidates(ctx, this.options.name);
  }

  send(ctx: CommitContext, value: string, overrides: CarrierOverrides): void {
    ctx.setCookie(this.cookies(ctx.namespace).serialize(ctx.req, value, overrides));
  }

  clear(ctx: CommitContext): void {
    ctx.setCookie(this.cookies(ctx.namespace).serializeClear(ctx.req));
  }

  private cookies(namespace: string): CookieWriter {
    this.writer ??= new CookieWriter(namespace, this.options);
    return this.writer;
  }
}
