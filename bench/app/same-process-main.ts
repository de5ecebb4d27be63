/** The same-process comparison's app (bench/same-process.ts), run in a child process. */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { ENV_REDIS_URL } from '../support/variants';
import { failBenchApp, serveBenchApp } from './serve';
import { buildSameProcessApp } from './variant-apps';

async function main(): Promise<void> {
  const built = await buildSameProcessApp(process.env[ENV_REDIS_URL] ?? '');
  const app = await NestFactory.create(built.module, new ExpressAdapter(), { logger: false });
  built.configure?.(app);
  await serveBenchApp(app, built.close);
}

main().catch(failBenchApp);
