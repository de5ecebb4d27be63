import type { INestApplication, ModuleMetadata, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SessionMultiModule } from '../../src/module/session-multi.module';
import type { NamespaceRegistration } from '../../src/module/session-multi-options.interface';

/** Secrets long enough for the start-up rules; never used outside tests. */
export const SECRET_A = 'test-secret-a-0123456789abcdef0123456789abcdef';
export const SECRET_B = 'test-secret-b-0123456789abcdef0123456789abcdef';

/** The HTTP adapters the module supports; e2e suites run over both with `describe.each(ADAPTERS)`. */
export const ADAPTERS = ['express', 'fastify'] as const;
export type AdapterName = (typeof ADAPTERS)[number];

export interface TestAppOptions {
  /** @default 'express' */
  adapter?: AdapterName;
  sessions: NamespaceRegistration[];
  controllers?: Type<unknown>[];
  imports?: ModuleMetadata['imports'];
  providers?: ModuleMetadata['providers'];
  /**
   * Trust X-Forwarded-* from the client (a TLS proxy in front): Express `app.set('trust proxy',
   * true)`, Fastify `new FastifyAdapter({ trustProxy: true })`.
   * @default false
   */
  trustProxy?: boolean;
  /** Runs on the app before init (global filters, logger...). */
  configure?: (app: INestApplication) => void;
}

/** A real Nest app with SessionMultiModule.forRoot() and the given controllers, initialised. */
export async function createTestApp(options: TestAppOptions): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      SessionMultiModule.forRoot({ sessions: options.sessions }),
      ...(options.imports ?? []),
    ],
    controllers: options.controllers ?? [],
    providers: options.providers ?? [],
  }).compile();
  const app =
    options.adapter === 'fastify'
      ? moduleRef.createNestApplication(
          new FastifyAdapter(options.trustProxy ? { trustProxy: true } : undefined),
          { logger: false },
        )
      : moduleRef.createNestApplication({ logger: false });
  if (options.trustProxy && options.adapter !== 'fastify') {
    (app as NestExpressApplication).set('trust proxy', true);
  }
  options.configure?.(app);
  await app.init();
  if (options.adapter === 'fastify') {
    await (app.getHttpAdapter().getInstance() as { ready(): Promise<unknown> }).ready();
  }
  return app;
}
