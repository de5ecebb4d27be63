import { DeadlineSweeper } from './deadline-sweeper';
import type { RedisCommands, RedisWrite, ReplicaWait } from './redis-commands';
import {
  asRetry,
  FAILOVER_RETRY_PAUSE_MS,
  pause,
  retryableDuringFailover,
} from './redis-failover-retry';
import { FailoverInProgressError, InsufficientReplicasError } from './redis-replicas.error';
import { globEscape } from './redis-replies';
import { StoreTimeoutError } from './store-timeout.error';

/** The store's own deadline fires this long after the client's, so the client's error normally wins. */
const DEADLINE_GRACE_MS = 100;
/** One sweeper for every store in the process: deadlines are checked every 50 ms. */
const deadlines = new DeadlineSweeper(50);
/**
 * Keys per SCAN call in length() and clear(): few round trips, and no single call holds the
 * server for long.
 */
const SCAN_COUNT = 1000;

/** What {@link RedisStoreOperations} is built from. @internal */
export interface RedisStoreSettings {
  readonly prefix: string;
  readonly commandTimeout: number;
  readonly replicaWait: ReplicaWait | undefined;
  readonly commands: RedisCommands;
  /** Whether Sentinel is replacing the master (the store's own Sentinel connection only). */
  readonly failover?: { readonly failingOver: boolean };
}

/**
 * How {@link RedisStore} sends commands, over whichever client library they speak: keys, the
 * deadline of every call, the replica wait after writes and the retry of a write that meets a
 * failover.
 *
 * @publicApi
 */
export abstract class RedisStoreCalls {
  readonly name = 'RedisStore';
  readonly prefix: string;
  readonly commandTimeout: number;
  /** The `WAIT` after each write, from the `replicas` option; undefined when off. */
  readonly replicaWait: ReplicaWait | undefined;
  /** The commands, over whichever client library the store talks to. @internal */
  protected readonly commands: RedisCommands;
  private readonly failover: { readonly failingOver: boolean } | undefined;

  protected constructor(settings: RedisStoreSettings) {
    this.prefix = settings.prefix;
    this.commandTimeout = settings.commandTimeout;
    this.replicaWait = settings.replicaWait;
    this.commands = settings.commands;
    this.failover = settings.failover;
  }

  /** The Redis key of a store key. */
  keyOf(key: string): string {
    return this.prefix + key;
  }

  /**
   * Sends a write with `WAIT` behind it; resolves with its reply only when enough replicas
   * confirmed it. `wrote` tells whether the reply means something was written (an NX clash or a
   * replace conflict writes nothing, so no replica has anything to confirm). A write that meets
   * a failover (the old master answers as a replica, the connection drops, or it took the write
   * while Sentinel was promoting a replica) is sent again, when {@link retryableDuringFailover}
   * says that cannot apply it twice, until `commandTimeout` has passed since the last failure
   * during the failover or the first one otherwise.
   * @internal
   */
  protected async replicated(
    operation: string,
    write: RedisWrite,
    wrote: (reply: unknown) => boolean,
  ): Promise<unknown> {
    const wait = this.replicaWait!;
    let attempt = write;
    let timeout = this.commandTimeout;
    let deadline = 0;
    for (;;) {
      try {
        const sent = attempt;
        const { reply, replicas } = await this.call(
          operation,
          () => this.commands.writeAndWait(sent, wait),
          timeout,
        );
        if ((replicas < wait.min || this.failover?.failingOver === true) && wrote(reply)) {
          throw replicas < wait.min
            ? new InsufficientReplicasError(
                this.name,
                operation,
                wait.min,
                replicas,
                wait.timeoutMs,
              )
            : new FailoverInProgressError(this.name, operation);
        }
        return reply;
      } catch (error) {
        // While Sentinel replaces the master the deadline waits for it (the follower bounds a
        // failover's length), so a write held across the switch is not failed meanwhile.
        if (deadline === 0 || this.failover?.failingOver === true) {
          deadline = Date.now() + this.commandTimeout;
        }
        timeout = deadline - Date.now() - FAILOVER_RETRY_PAUSE_MS;
        if (timeout <= 0 || !retryableDuringFailover(write, error)) {
          throw error;
        }
        attempt = asRetry(write);
        await pause(FAILOVER_RETRY_PAUSE_MS);
      }
    }
  }

  /** Runs `each` on every SCAN batch of keys under the prefix; each SCAN has the deadline. @internal */
  protected async eachScanBatch(
    operation: string,
    type: string | undefined,
    each: (keys: string[]) => Promise<void>,
  ): Promise<void> {
    const batches = this.commands.scan(globEscape(this.prefix) + '*', SCAN_COUNT, type);
    const iterator = batches[Symbol.asyncIterator]();
    for (;;) {
      const batch = await this.call(operation, () => iterator.next());
      if (batch.done === true) {
        return;
      }
      await each(batch.value);
    }
  }

  /** Runs one command under the store's deadline, whatever the client's own settings. @internal */
  protected call<T>(
    operation: string,
    command: () => Promise<T>,
    timeout = this.commandTimeout,
  ): Promise<T> {
    let pending: Promise<T>;
    try {
      pending = command();
    } catch (error) {
      return Promise.reject(error);
    }
    return deadlines.watch(
      pending,
      timeout + DEADLINE_GRACE_MS,
      () => new StoreTimeoutError(this.name, operation, this.commandTimeout),
    );
  }
}
