import { Logger } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import type { ResolvedDebugOptions } from './debug-options';

const logger = new Logger('SessionMultiDebug');

/** The framework's request as the panel's routes receive it (Express, or Fastify's). */
export interface AdapterRequest {
  /** The client address by the framework's proxy rules (Express `trust proxy`, Fastify `trustProxy`). */
  ip?: string;
  raw?: IncomingMessage;
}

/**
 * The client's address: the framework's `req.ip`, which follows the application's proxy trust
 * (without a trusted proxy it is the socket's address and `X-Forwarded-For` is ignored), else
 * the socket's. IPv4-mapped IPv6 addresses are given as IPv4.
 *
 * @internal
 */
export function clientAddress(req: AdapterRequest, raw: IncomingMessage): string | undefined {
  const address = req.ip ?? raw.socket?.remoteAddress;
  if (address === undefined) {
    return undefined;
  }
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1] : address;
}

/**
 * Whether the caller may see the panel: its address is in `allowedIps` and `authorize`, when
 * given, says yes. An `authorize` that throws counts as no.
 *
 * @internal
 */
export async function mayView(
  options: ResolvedDebugOptions,
  req: AdapterRequest,
  raw: IncomingMessage,
): Promise<boolean> {
  const address = clientAddress(req, raw);
  const family = address === undefined ? 0 : isIP(address);
  if (family === 0 || !options.allowed.check(address!, family === 6 ? 'ipv6' : 'ipv4')) {
    return false;
  }
  if (options.authorize === undefined) {
    return true;
  }
  try {
    return (await options.authorize(raw)) === true;
  } catch (error) {
    logger.warn(
      `authorize threw; the panel answered 404. ${error instanceof Error ? error.message : String(error)}`,
    );
    return false;
  }
}
