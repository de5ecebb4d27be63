/**
 * One variant's Nest app, run in its own child process by bench/run.ts so variants share no JIT
 * state. Listens on a free loopback port, reports it over IPC, and exits on { type: 'stop' }.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { ENV_REDIS_URL, ENV_VARIANT, VARIANT_NAMES, type VariantName } from '../support/variants';
import { failBenchApp, serveBenchApp } from './serve';
import { buildVariant } from './variant-apps';

async function main(): Promise<void> {
  const name = process.env[ENV_VARIANT] as VariantName;
  if (!VARIANT_NAMES.includes(name)) {
    throw new Error(`Unknown variant "${String(name)}". Known: ${VARIANT_NAMES.join(', ')}.`);
  }
  const variant = await buildVariant(name, process.env[ENV_REDIS_URL] ?? '');
  const app = await NestFactory.create(variant.module, new ExpressAdapter(), { logger: false });
  variant.configure?.(app);
  await serveBenchApp(app, variant.close);
}

main().catch(failBenchApp);
