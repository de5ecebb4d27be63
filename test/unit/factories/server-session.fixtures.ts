import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { Logger } from '@nestjs/common';
import type {
  CommitContext,
  CookiePolicy,
  CookieVeto,
  LoadContext,
  SessionRequest,
  SessionResponse,
} from '../../../src/factories/session-factory.interface';
import type { SessionStore, StoreSetOptions } from '../../../src/stores/session-store.interface';

// Refusal reasons are logged at debug level; keep test output readable.
Logger.overrideLogger(false);

/** One store call as the factory made it. */
export interface StoreCall {
  op: 'get' | 'getAndTouch' | 'set' | 'touch' | 'delete';
  key: string;
  ttl?: number;
  onlyIfAbsent?: boolean;
}

/** A Map-backed store that records every call (a counting wrapper, STYLE 3.7). */
export class RecordingStore implements SessionStore {
  readonly name = 'RecordingStore';
  readonly calls: StoreCall[] = [];
  readonly data = new Map<string, { value: string; ttl: number | undefined }>();
  /** Makes every call reject with this error. */
  failWith: Error | undefined;
  /** Makes the next N `onlyIfAbsent` writes report a clash. */
  clashes = 0;
  closed = 0;
  getAndTouch?: (key: string, ttl: number) => Promise<string | undefined>;

  constructor(options: { getAndTouch?: boolean } = {}) {
    if (options.getAndTouch) {
      this.getAndTouch = async (key, ttl) => {
        this.record({ op: 'getAndTouch', key, ttl });
        const entry = this.data.get(key);
        if (entry) {
          entry.ttl = ttl;
        }
        return entry?.value;
      };
    }
  }

  async get(key: string): Promise<string | undefined> {
    this.record({ op: 'get', key });
    return this.data.get(key)?.value;
  }

  async set(key: string, value: string, options: StoreSetOptions): Promise<boolean> {
    this.record({ op: 'set', key, ttl: options.ttl, onlyIfAbsent: options.onlyIfAbsent });
    if (options.onlyIfAbsent && (this.data.has(key) || this.clashes-- > 0)) {
      return false;
    }
    if (options.onlyIfPresent && !this.data.has(key)) {
      return false;
    }
    this.data.set(key, { value, ttl: options.ttl });
    return true;
  }

  async touch(key: string, ttl: number): Promise<void> {
    this.record({ op: 'touch', key, ttl });
    const entry = this.data.get(key);
    if (entry) {
      entry.ttl = ttl;
    }
  }

  async delete(key: string): Promise<void> {
    this.record({ op: 'delete', key });
    this.data.delete(key);
  }

  async close(): Promise<void> {
    this.closed++;
  }

  /** Operation names, in order. */
  ops(): string[] {
    return this.calls.map((c) => c.op);
  }

  /** The only stored entry's payload, parsed. */
  onlyPayload(): Record<string, unknown> {
    if (this.data.size !== 1) {
      throw new Error(`expected one record, found ${this.data.size}`);
    }
    return JSON.parse([...this.data.values()][0]!.value) as Record<string, unknown>;
  }

  reset(): void {
    this.calls.length = 0;
  }

  private record(call: StoreCall): void {
    if (this.failWith) {
      throw this.failWith;
    }
    this.calls.push(call);
  }
}

export function fakeRequest(): SessionRequest {
  const req = new IncomingMessage(new Socket()) as SessionRequest;
  req.secure = false;
  return req;
}

export function loadCtx(namespace: string, cookies: Record<string, string> = {}): LoadContext {
  return { namespace, req: fakeRequest(), cookies };
}

/** Records Set-Cookie values; `veto` answers every cookieVeto() call. */
export class TestCommitContext implements CommitContext {
  readonly cookies: string[] = [];
  readonly req: SessionRequest = fakeRequest();
  readonly res: SessionResponse = new ServerResponse(this.req);

  constructor(
    readonly namespace: string,
    private readonly veto: CookieVeto = undefined,
    readonly exception = false,
  ) {}

  cookieVeto(_policy: CookiePolicy): CookieVeto {
    return this.veto;
  }

  setCookie(serialized: string): void {
    this.cookies.push(serialized);
  }

  /** `{ name: value }` of the single Set-Cookie, for the next request's cookies. */
  jar(): Record<string, string> {
    if (this.cookies.length !== 1) {
      throw new Error(`expected one Set-Cookie, got ${this.cookies.length}`);
    }
    const pair = this.cookies[0]!.split(';')[0]!;
    const eq = pair.indexOf('=');
    return { [pair.slice(0, eq)]: decodeURIComponent(pair.slice(eq + 1)) };
  }
}
