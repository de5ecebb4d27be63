import type { ResolvedCookieOptions } from './cookie-options';
import { refreshMode, type ServerSessionSettings } from './server-session.options';
import { transportName, type SessionIdTransport } from './transports/session-id-transport';

/** A server-side namespace for the debug panel and logs: settings, transport, never secrets. @internal */
export function describeServerSession(
  s: ServerSessionSettings,
  transport: SessionIdTransport,
  cookie: Readonly<ResolvedCookieOptions>,
  extra: { store: string; hashAlgorithm: string; secrets: number },
): Record<string, unknown> {
  return {
    type: 'ServerSessionFactory',
    store: extra.store,
    transport: { kind: transport.kind, name: transportName(transport) },
    cookie: { ...cookie },
    timeout: s.timeout,
    timeoutTrigger: s.trigger,
    expiryInPayload: s.expiryInPayload,
    setStoreTtl: s.storeTtl,
    touchOnRead: s.touchOnRead,
    refresh: refreshMode(s, s.timeout),
    detectChanges: s.detectChanges,
    deserializedFailsNew: s.deserializedFailsNew,
    invalidateEmptySession: s.invalidateEmptySession,
    onStoreError: s.failOpen ? 'fail-open' : 'throw',
    maxLifetime: s.maxLifetime ?? null,
    hashAlgorithm: extra.hashAlgorithm,
    secrets: extra.secrets,
  };
}
