import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SessionRegistry } from '../module/session-registry';
import type { SessionContainer } from '../request/session-container';
import type { SessionObserver } from '../request/session-observer';
import { readCookies } from '../request/cookie-io';
import type { NamespacedSession } from '../session/session';
import type { ResolvedDebugOptions } from './debug-options';
import { DebugHistory } from './debug-history';
import { guarded } from './debug-guard';
import type { NamespaceRecord, RequestRecord } from './debug-record';
import { NamespaceTrace } from './namespace-trace';
import { carriedValue, namespaceBase, untouchedView } from './namespace-view';

/** One request being recorded. */
interface RequestTrace {
  id: number;
  method: string;
  path: string;
  started: number;
  time: string;
  namespaces: Map<string, NamespaceTrace>;
}

/**
 * Records requests for the panel: told by the request layer when a namespace is mounted and
 * around each commit, and by the panel's adapter hook when a request starts and closes. The
 * record is built once the response has gone, so the panel adds no work before it.
 *
 * @internal
 */
export class DebugRecorder implements SessionObserver {
  readonly history: DebugHistory;
  private readonly traces = new WeakMap<IncomingMessage, RequestTrace>();

  constructor(
    private readonly registry: SessionRegistry,
    private readonly options: ResolvedDebugOptions,
  ) {
    this.history = new DebugHistory(options.historySize);
  }

  /** Starts recording a request; the record is added when its response closes. */
  begin(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const trace: RequestTrace = {
      id: this.history.nextId(),
      method: req.method ?? 'GET',
      path: query === -1 ? url : url.slice(0, query),
      started: performance.now(),
      time: new Date().toISOString(),
      namespaces: new Map(),
    };
    this.traces.set(req, trace);
    res.once('close', () => {
      this.traces.delete(req);
      guarded(() => this.history.add(this.finish(trace, req, res)));
    });
  }

  mounted(container: SessionContainer, namespace: string, session: NamespacedSession | null): void {
    const trace = this.traces.get(container.req);
    const factory = this.registry.factory(namespace);
    if (trace !== undefined && factory !== undefined) {
      guarded(() =>
        trace.namespaces.set(namespace, new NamespaceTrace(session, factory, this.options.redact)),
      );
    }
  }

  commit(
    container: SessionContainer,
    namespace: string,
    _session: NamespacedSession,
    run: () => void | Promise<void>,
  ): void | Promise<void> {
    const ns = this.traces.get(container.req)?.namespaces.get(namespace);
    return ns === undefined ? run() : ns.commit(container.res, run);
  }

  private finish(trace: RequestTrace, req: IncomingMessage, res: ServerResponse): RequestRecord {
    const jar = readCookies(req);
    const namespaces: NamespaceRecord[] = [];
    for (const ns of this.registry.namespaces) {
      const factory = this.registry.factory(ns)!;
      const ctx = jar.loadContext(ns, req);
      const value = carriedValue(factory, ctx);
      const base = namespaceBase(ns, factory, this.registry.discriminator(ns) !== undefined, value);
      const touched = trace.namespaces.get(ns);
      if (touched !== undefined) {
        namespaces.push(touched.record(base, ctx));
      } else if (this.options.capture === 'all') {
        namespaces.push(untouchedView(base, factory, ctx, value, this.options.redact));
      } else {
        namespaces.push(base);
      }
    }
    return {
      id: trace.id,
      method: trace.method,
      path: trace.path,
      status: res.statusCode,
      time: trace.time,
      durationMs: Math.round((performance.now() - trace.started) * 10) / 10,
      namespaces,
    };
  }
}
