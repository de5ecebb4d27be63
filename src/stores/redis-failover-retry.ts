import type { RedisWrite } from './redis-commands';
import { FailoverInProgressError } from './redis-replicas.error';
import { REPLACE_SCRIPT } from './redis-scripts';

/** Pause before a write that met a failover is sent again (the client reconnects meanwhile). */
export const FAILOVER_RETRY_PAUSE_MS = 25;

/** Replies of a server that did not run the command: a replica, a loading or masterless server. */
const NOT_RUN = /^(READONLY|LOADING|MASTERDOWN) /;
/** Lost or refused connections: the command may or may not have run. */
const CONNECTION_LOST =
  /Command aborted due to connection close|Connection is closed|max retries per request|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH/;

/**
 * Whether `write`, which failed with `error` while the client may be switching to a new master,
 * can be sent again without applying it twice or acknowledging it unconfirmed:
 *
 * - a reply saying the server did not run it (`READONLY`...): any write;
 * - a lost connection, or a master Sentinel is replacing ({@link FailoverInProgressError}),
 *   where the write may have run unconfirmed: a plain or `XX` `SET` (writing the same value again is harmless and replicates again) and the
 *   replace script sent as {@link asRetry} (it accepts its own value as a match and writes it
 *   again, so the `WAIT` behind it confirms it). Not an `NX` `SET` (its own earlier success
 *   would read as "taken") nor a `DEL` (one that finds the key gone writes nothing, so a `WAIT`
 *   on a new connection would confirm nothing).
 *
 * Too few replicas confirming is not retried: it is rarely a failover, and a replica that is down
 * would make every write wait out the deadline.
 *
 * @internal
 */
export function retryableDuringFailover(write: RedisWrite, error: unknown): boolean {
  const message = (error as { message?: unknown } | null)?.message;
  if (typeof message !== 'string') {
    return false;
  }
  if (NOT_RUN.test(message)) {
    return true;
  }
  if (!(error instanceof FailoverInProgressError) && !CONNECTION_LOST.test(message)) {
    return false;
  }
  switch (write.kind) {
    case 'set':
      return write.condition !== 'NX';
    case 'script':
      return write.script === REPLACE_SCRIPT;
    default:
      return false;
  }
}

/** The write to send again: the replace script also takes the value it writes as a match. */
export function asRetry(write: RedisWrite): RedisWrite {
  return write.kind === 'script' && write.script === REPLACE_SCRIPT
    ? { ...write, args: [...write.args, REPLACE_OWN_VALUE_MATCHES] }
    : write;
}

/** ARGV[4] of the replace script on a retry. @internal */
export const REPLACE_OWN_VALUE_MATCHES = '1';

export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
