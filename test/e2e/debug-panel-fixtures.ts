import { Controller, Get, Post, type INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { Session } from '../../src/request/session.decorator';
import { SignedCookieSessionFactory } from '../../src/factories/signed-cookie-session.factory';
import { EncryptedCookieSessionFactory } from '../../src/factories/encrypted-cookie-session.factory';
import { RedisSessionFactory } from '../../src/factories/redis-session.factory';
import type { NamespaceRegistration } from '../../src/module/session-multi-options.interface';
import { SessionMultiDebugModule } from '../../src/debug/session-multi-debug.module';
import type { SessionMultiDebugOptions } from '../../src/debug/session-multi-debug-options.interface';
import type { RequestRecord, RequestSummary } from '../../src/debug/debug-record';
import { createTestApp, SECRET_A, SECRET_B, type AdapterName } from '../support/create-test-app';

/** Routes that each touch one namespace of {@link threeNamespaces}. */
@Controller()
export class DebugFixtureController {
  @Get('none')
  none(): string {
    return 'nothing touched';
  }

  @Post('ui')
  writeUi(@Session('ui') ui: Session): string {
    ui.set('theme', 'dark');
    ui.set('password', 'hunter2-ui-secret');
    return 'ok';
  }

  @Post('ui/xss')
  writeXss(@Session('ui') ui: Session): string {
    ui.set('note', '<img src=x onerror="window.__x=1">');
    return 'ok';
  }

  @Post('ui/theme')
  changeTheme(@Session('ui') ui: Session): string {
    ui.set('theme', 'light');
    ui.delete('note');
    ui.set('lang', 'fr');
    return 'ok';
  }

  @Get('ui')
  readUi(@Session('ui') ui: Session): unknown {
    return { theme: ui.get('theme') ?? null };
  }

  @Post('vault')
  writeVault(@Session('vault') vault: Session): string {
    vault.set('plan', 'gold');
    vault.set('apiToken', 'tok-vault-do-not-show');
    return 'ok';
  }

  @Get('vault/maybe')
  maybeVault(@Session('vault') vault: Session | null): unknown {
    return { plan: vault?.get('plan') ?? null };
  }

  @Post('auth')
  writeAuth(@Session('auth') auth: Session): string {
    auth.set('user', 'ada');
    auth.set('nested', { profile: { secretAnswer: 'blue-whale-42' } });
    return 'ok';
  }
}

/** A signed cookie, an encrypted cookie and a Redis namespace. */
export function threeNamespaces(redisUrl: string): NamespaceRegistration[] {
  return [
    {
      namespace: 'ui',
      factory: new SignedCookieSessionFactory({ secret: SECRET_A, cookieName: 'ui' }),
    },
    {
      namespace: 'vault',
      factory: new EncryptedCookieSessionFactory({ key: randomBytes(32), cookieName: 'vault' }),
      discriminator: (req) => req.headers['x-no-vault'] === undefined,
    },
    {
      namespace: 'auth',
      factory: new RedisSessionFactory({
        redis: { url: redisUrl, prefix: 'dbg:' },
        secret: SECRET_B,
        cookieName: 'auth',
      }),
    },
  ];
}

/** An app with the three namespaces and the panel. */
export function createDebugApp(
  adapter: AdapterName,
  redisUrl: string,
  debug: Partial<SessionMultiDebugOptions> = {},
  extra: { trustProxy?: boolean; configure?: (app: INestApplication) => void } = {},
): Promise<INestApplication> {
  return createTestApp({
    adapter,
    sessions: threeNamespaces(redisUrl),
    controllers: [DebugFixtureController],
    imports: [SessionMultiDebugModule.forRoot({ enabled: true, ...debug })],
    ...extra,
  });
}

/** The panel's JSON list. */
export async function listRecords(app: INestApplication): Promise<RequestSummary[]> {
  const res = await request(app.getHttpServer()).get('/_session_multi/api/requests').expect(200);
  return res.body as RequestSummary[];
}

/** The id of the newest record so far (0 when none). */
export async function lastId(app: INestApplication): Promise<number> {
  return (await listRecords(app))[0]?.id ?? 0;
}

/**
 * The record of the request to `path` made after record `after` (the panel records once the
 * response has closed, so it may take a moment).
 */
export async function recordOf(
  app: INestApplication,
  path: string,
  after: number,
): Promise<RequestRecord> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const found = (await listRecords(app)).find((r) => r.path === path && r.id > after);
    if (found !== undefined) {
      const res = await request(app.getHttpServer())
        .get(`/_session_multi/api/requests/${found.id}`)
        .expect(200);
      return res.body as RequestRecord;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no record of ${path}`);
}
