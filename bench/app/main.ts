/**
 * One variant's Nest app, run in its own child process by bench/run.ts so variants share no JIT
 * state. Listens on a free loopback port, reports it over IPC, and exits on { type: 'stop' }.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { AddressInfo } from 'node:net';
import {
  ENV_REDIS_URL,
  ENV_VARIANT,
  VARIANT_NAMES,
  type ChildMessage,
  type ParentMessage,
  type VariantName,
} from '../support/variants';
import { buildVariant } from './variant-apps';

function send(message: ChildMessage): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  const name = process.env[ENV_VARIANT] as VariantName;
  if (!VARIANT_NAMES.includes(name)) {
    throw new Error(`Unknown variant "${String(name)}". Known: ${VARIANT_NAMES.join(', ')}.`);
  }
  const variant = await buildVariant(name, process.env[ENV_REDIS_URL] ?? '');
  const app = await NestFactory.create(variant.module, new ExpressAdapter(), { logger: false });
  variant.configure?.(app);
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
        await variant.close?.();
        // A normal exit, so --cpu-prof writes its profile.
        process.exit(0);
      })();
    }
  });
  send({ type: 'listening', port: address.port });
}

main().catch((error: unknown) => {
  send({
    type: 'error',
    message: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
  process.exit(1);
});
