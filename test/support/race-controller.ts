import {
  Body,
  Controller,
  HttpCode,
  Param,
  Post,
  ServiceUnavailableException,
} from '@nestjs/common';
import type { SessionContainer } from '../../src/request/session-container';
import { Sessions } from '../../src/request/session.decorator';
import { MemoryStore } from '../../src/stores/memory.store';
import type { StoreSetOptions } from '../../src/stores/session-store.interface';
import { delay } from './slow-stores';

/**
 * Meeting points between a test and the requests it sent, in the same process: a request reports
 * that it loaded its session (`arrive`), and the test (or the other request of a pair) waits for
 * that before going on, so a race is set up on purpose instead of left to timing.
 */
export class Rendezvous {
  private readonly counts = new Map<string, number>();
  private readonly waiters = new Map<string, { count: number; resolve: () => void }[]>();

  arrive(tag: string): void {
    const count = (this.counts.get(tag) ?? 0) + 1;
    this.counts.set(tag, count);
    const waiting = this.waiters.get(tag) ?? [];
    this.waiters.set(
      tag,
      waiting.filter((w) => {
        if (count >= w.count) {
          w.resolve();
          return false;
        }
        return true;
      }),
    );
  }

  /** Resolves once `count` arrivals were reported under `tag`; rejects after `limitMs`. */
  wait(tag: string, count: number, limitMs = 2000): Promise<void> {
    if ((this.counts.get(tag) ?? 0) >= count) {
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(`rendezvous "${tag}": ${count} arrival(s) not reached in ${limitMs} ms`),
          ),
        limitMs,
      );
      const list = this.waiters.get(tag) ?? [];
      list.push({
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
      this.waiters.set(tag, list);
    });
  }

  forget(tag: string): void {
    this.counts.delete(tag);
    this.waiters.delete(tag);
  }
}

/** The one Rendezvous the race routes report to. */
export const raceRendezvous = new Rendezvous();

/** Body of `POST race/:ns`. */
export interface RaceBody {
  /** Keys this request sets on the session, after loading it and waiting. */
  set: Record<string, unknown>;
  /** Reported to `raceRendezvous` once the session is loaded. */
  tag?: string;
  /** Wait until this many requests reported `tag` (both requests of a pair loaded) before going on. */
  meet?: number;
  /** Milliseconds to wait after loading (and meeting), before setting the keys and returning. */
  delayMs?: number;
  /** Then also wait until the test reported this tag (e.g. "the logout answered"), at most 2 s. */
  after?: string;
}

/**
 * A slow request: loads its session, reports it, waits, then sets keys. Its write-back happens
 * after whatever the test did meanwhile (a logout, a regenerate, another write).
 */
@Controller()
export class RaceController {
  @Post('race/:ns')
  @HttpCode(200)
  async race(
    @Param('ns') ns: string,
    @Body() body: RaceBody,
    @Sessions() sessions: SessionContainer,
  ): Promise<{ isNew: boolean; data: Record<string, unknown> }> {
    const session = await sessions.get(ns);
    if (session === null) {
      throw new ServiceUnavailableException(`namespace ${ns} not mounted`);
    }
    if (body.tag !== undefined) {
      raceRendezvous.arrive(body.tag);
      if (body.meet !== undefined) {
        await raceRendezvous.wait(body.tag, body.meet);
      }
    }
    if (body.delayMs !== undefined) {
      await delay(body.delayMs);
    }
    if (body.after !== undefined) {
      await raceRendezvous.wait(body.after, 1);
    }
    session.update(body.set);
    return { isNew: session.isNew, data: Object.fromEntries(session.entries()) };
  }
}

/** A MemoryStore whose `set` (hence `SET … NX`, a new record) rejects while `failSets` is true. */
export class FailingSetStore extends MemoryStore {
  failSets = false;

  constructor() {
    super({ sweepInterval: 0 });
  }

  override async set(key: string, value: string, options?: StoreSetOptions): Promise<boolean> {
    if (this.failSets) {
      throw new Error('set refused (test store)');
    }
    return super.set(key, value, options);
  }
}
