import type { SessionLogger } from '../session-logger';
import type { CommitContext, LoadContext, SessionResponse } from '../session-factory.interface';
import { addVary, keepPrivate, setResponseHeader, type IdCarrier } from './id-carrier';

const NONE: readonly unknown[] = Object.freeze([]);

/**
 * {@link headerTransport}: the id in a request header, answered in the same response header
 * (empty when the id is cleared). No cookie is read or set.
 *
 * @internal
 */
export class HeaderCarrier implements IdCarrier {
  readonly mark = undefined;
  private readonly lower: string;
  private corsWarned = false;

  constructor(
    private readonly name: string,
    private readonly logger: SessionLogger,
  ) {
    this.lower = name.toLowerCase();
  }

  candidates(ctx: LoadContext): readonly unknown[] {
    // Node joins a repeated custom header into one "a, b" string; its distinct values are
    // kept apart, so the first that verifies wins as with repeated cookies.
    const distinct = (ctx.req as { headersDistinct?: Record<string, string[] | undefined> })
      .headersDistinct?.[this.lower];
    if (distinct !== undefined) {
      return distinct;
    }
    const value = ctx.req.headers[this.lower];
    if (value === undefined) {
      return NONE;
    }
    return Array.isArray(value) ? value : [value];
  }

  send(ctx: CommitContext, value: string): void {
    this.answer(ctx, value);
  }

  clear(ctx: CommitContext): void {
    this.answer(ctx, '');
  }

  private answer(ctx: CommitContext, value: string): void {
    setResponseHeader(ctx, this.name, value);
    // A cache keyed on the URL alone would hand one client's id to another.
    addVary(ctx, this.name);
    keepPrivate(ctx);
    if (!this.corsWarned && ctx.req.headers.origin !== undefined) {
      // CORS headers may be added by the adapter as the response is written (Fastify's hook
      // puts them on the reply): they are all on the response once it finished.
      ctx.res.once('finish', () => this.checkExposed(ctx.namespace, ctx.res));
    }
  }

  /**
   * A cross-origin response whose CORS headers hide the id header from browser scripts: warned
   * once per namespace. Nest hands `enableCors()` options to the adapter's CORS middleware
   * without keeping them, so the response is the only place to see what the browser will see.
   */
  private checkExposed(namespace: string, res: SessionResponse): void {
    if (this.corsWarned || res.getHeader('access-control-allow-origin') === undefined) {
      return;
    }
    const exposed = String(res.getHeader('access-control-expose-headers') ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase());
    const credentials = String(res.getHeader('access-control-allow-credentials')) === 'true';
    // `*` exposes every header, except on credentialed responses where it is a literal name.
    if (exposed.includes(this.lower) || (exposed.includes('*') && !credentials)) {
      return;
    }
    this.corsWarned = true;
    this.logger.warn(
      `Namespace "${namespace}": the session id travels in the response header "${this.name}", but a cross-origin response did not list it in Access-Control-Expose-Headers, so browser scripts cannot read it. Add it to the CORS options, e.g. app.enableCors({ exposedHeaders: ['${this.name}'], allowedHeaders: [..., '${this.name}'] }).`,
    );
  }
}
