import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { configureSampleApp } from './configure-app';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule);
  configureSampleApp(app);
  app.enableShutdownHooks();
  const port = Number(app.get(ConfigService).get<string>('PORT') ?? 3000);
  await app.listen(port);
  new Logger('Sample').log(`Serving the sample on http://localhost:${port}`);
}

void bootstrap();
