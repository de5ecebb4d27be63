/**
 * The child side of the bench's IPC protocol: listen on a free loopback port, report it, answer
 * `mark` and `cpu` questions, and close on `stop`. Shared by every bench app.
 */
import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import type { ChildMessage, ParentMessage } from '../support/variants';

function send(message: ChildMessage): void {
  process.send?.(message);
}

/** Listens, reports the port to the parent, and serves its questions until `stop`. */
export async function serveBenchApp(
  app: INestApplication,
  close?: () => Promise<void>,
): Promise<void> {
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as AddressInfo;
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'mark') {
      send({ type: 'mark', micros: Number(process.hrtime.bigint() / 1000n) });
    } else if (message.type === 'cpu') {
      const usage = process.cpuUsage();
      send({ type: 'cpu', micros: usage.user + usage.system });
    } else if (message.type === 'stop') {
      void (async () => {
        await app.close();
        await close?.();
        // A normal exit, so --cpu-prof writes its profile.
        process.exit(0);
      })();
    }
  });
  send({ type: 'listening', port: address.port });
}

/** Reports a start-up failure to the parent and exits. */
export function failBenchApp(error: unknown): never {
  send({
    type: 'error',
    message: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
  process.exit(1);
}
