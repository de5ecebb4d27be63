import type { NestExpressApplication } from '@nestjs/platform-express';

/**
 * Application settings shared by main.ts and the sample's e2e test. 'trust proxy' is limited to
 * loopback so that only a proxy on this machine can mark a request as https (X-Forwarded-Proto).
 */
export function configureSampleApp(app: NestExpressApplication): void {
  app.set('trust proxy', 'loopback');
}
