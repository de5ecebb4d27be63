import type { RedisNodeAddress } from './redis-store-options';
import type {
  IoredisConnection as Redis,
  IoredisOptions as RedisOptions,
} from './redis-ioredis-types';

const CHANNEL = '+switch-master';
/** Published by the sentinel leading a failover once it chose the replica to promote. */
const SELECTED = '+selected-slave';
/** Longest a failover counts as in progress without the switch that ends it. */
const FAILOVER_CAP_MS = 5000;
/** Reconnect pause of a Sentinel client, ms per attempt, at most {@link MAX_RETRY_PAUSE_MS}. */
const RETRY_PAUSE_STEP_MS = 20;
/**
 * Each reconnect asks the sentinels for the master first, so a client that lost its master uses
 * the promoted replica within this long of Sentinel naming it; an attempt costs two loopback or
 * LAN round trips.
 */
const MAX_RETRY_PAUSE_MS = 100;
/**
 * Times the client is moved per announced switch: a sentinel that has not switched yet may still
 * name the old master, and a master announced by a name or address the client sees differently
 * (NAT, hostnames) would otherwise be left again and again.
 */
const MAX_MOVES = 5;
/** Pause between reconnects of a connection to a sentinel. */
const SENTINEL_RETRY_PAUSE_MS = 1000;

/** Opens one connection to a sentinel (the store passes ioredis's constructor in). */
export type OpenSentinelConnection = (options: RedisOptions) => Redis;

/**
 * Moves a Sentinel client to the new master as soon as a sentinel publishes `+switch-master`,
 * in place of ioredis's failover detector. That detector drops the connection on every
 * `+switch-master` from every sentinel: the sentinels that did not lead the failover publish
 * theirs a second or so later, so the client dropped a connection that was already on the new
 * master, and with it the writes in flight. Here a message naming the server the client is
 * connected to changes nothing; one naming another server drops the connection, and the
 * reconnect after it starts at once instead of after the usual pause. A client that connects to
 * a server other than the announced master (a sentinel answered before it switched) is moved on
 * the same way. While Sentinel promotes a replica, {@link failingOver} tells the store not to
 * acknowledge writes the old master takes. Nothing here runs per command.
 *
 * @internal
 */
export class SentinelSwitchFollower {
  /** `host:port` of the master the last `+switch-master` named. */
  private announced: string | undefined;
  /** A switch was announced and the client is not on that master yet. */
  private pending = false;
  /** How often the client was moved since the last announcement. */
  private moves = 0;
  /**
   * From `+selected-slave` until the client is on the master `+switch-master` named: the
   * replica being promoted no longer replicates the old master, so a write the old master's
   * other replicas confirm may still be lost.
   */
  failingOver = false;
  private failoverCap: NodeJS.Timeout | undefined;
  private subscribers: Redis[] = [];
  private stopped = false;
  private open: OpenSentinelConnection | undefined;

  constructor(
    private readonly masterName: string,
    private readonly sentinels: readonly RedisNodeAddress[],
  ) {}

  /** The client's `retryStrategy`: no pause for the reconnect a switch asked for. */
  readonly reconnectDelay = (times: number): number =>
    this.pending && this.moves === 1 && times === 1
      ? 0
      : Math.min(times * RETRY_PAUSE_STEP_MS, MAX_RETRY_PAUSE_MS);

  /**
   * Follows switches for `client`. The sentinel connections open with the client's first
   * connection (building a store does no I/O) and use the client's sentinel credentials.
   */
  attach(client: Redis, open: OpenSentinelConnection): void {
    this.subscribeOnConnect(client, open);
    client.on('ready', () => this.steer(client));
  }

  /** Follows switches again for a client connecting again after {@link stop}. */
  resume(client: Redis): void {
    if (this.stopped && this.open !== undefined) {
      this.stopped = false;
      this.subscribeOnConnect(client, this.open);
    }
  }

  private subscribeOnConnect(client: Redis, open: OpenSentinelConnection): void {
    this.open = open;
    client.once('connect', () => {
      if (!this.stopped) {
        this.subscribe(client, open);
      }
    });
  }

  /** Closes the sentinel connections. */
  stop(): void {
    this.stopped = true;
    this.settled();
    for (const subscriber of this.subscribers) {
      subscriber.disconnect();
    }
    this.subscribers = [];
  }

  private subscribe(client: Redis, open: OpenSentinelConnection): void {
    const { sentinelUsername, sentinelPassword, sentinelTLS } = client.options;
    for (const { host, port } of this.sentinels) {
      const subscriber = open({
        host,
        port,
        username: sentinelUsername ?? undefined,
        password: sentinelPassword ?? undefined,
        tls: sentinelTLS,
        enableReadyCheck: false,
        maxRetriesPerRequest: null,
        retryStrategy: () => SENTINEL_RETRY_PAUSE_MS,
      });
      subscriber.on('error', () => undefined);
      subscriber.on('message', (channel: string, message: string) => {
        if (channel === CHANNEL) {
          this.switched(client, message);
        } else if (channel === SELECTED) {
          this.selected(message);
        }
      });
      subscriber.subscribe(CHANNEL, SELECTED).catch(() => undefined);
      this.subscribers.push(subscriber);
    }
  }

  /** `message` is `slave <ip>:<port> <ip> <port> @ <name> <master ip> <master port>`. */
  private selected(message: string): void {
    const words = message.split(' ');
    if (words[words.indexOf('@') + 1] !== this.masterName) {
      return;
    }
    this.failingOver = true;
    clearTimeout(this.failoverCap);
    this.failoverCap = setTimeout(() => this.settled(), FAILOVER_CAP_MS);
    this.failoverCap.unref();
  }

  private settled(): void {
    this.failingOver = false;
    clearTimeout(this.failoverCap);
    this.failoverCap = undefined;
  }

  /** `message` is `<name> <old ip> <old port> <new ip> <new port>`. */
  private switched(client: Redis, message: string): void {
    const [name, , , host, port] = message.split(' ');
    if (name !== this.masterName || host === undefined || port === undefined) {
      return;
    }
    this.announced = `${host}:${port}`;
    this.pending = true;
    this.moves = 0;
    this.steer(client);
  }

  /** Drops a ready connection to anything but the announced master; reconnects go there. */
  private steer(client: Redis): void {
    if (!this.pending || client.status !== 'ready') {
      return;
    }
    const stream = (
      client as unknown as { stream?: { remoteAddress?: string; remotePort?: number } }
    ).stream;
    if (
      `${stream?.remoteAddress}:${stream?.remotePort}` === this.announced ||
      this.moves >= MAX_MOVES
    ) {
      this.pending = false;
      this.settled();
      return;
    }
    this.moves++;
    client.disconnect(true);
  }
}
