import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  ServiceUnavailableException,
} from '@nestjs/common';
import type { Response } from 'supertest';
import type { SessionContainer } from '../../src/request/session-container';
import { Sessions } from '../../src/request/session.decorator';
import type { NamespacedSession } from '../../src/session/session';
import { storeKey } from '../../src/stores/store-key';
import { cookieValue } from '../support/cookie-jar';

async function mount(sessions: SessionContainer, ns: string): Promise<NamespacedSession> {
  const session = await sessions.get(ns);
  if (session === null) {
    throw new ServiceUnavailableException(`namespace ${ns} not mounted`);
  }
  return session;
}

function view(session: NamespacedSession): { isNew: boolean; data: Record<string, unknown> } {
  return { isNew: session.isNew, data: Object.fromEntries(session.entries()) };
}

/** Generic routes over any namespace: read, write, invalidate, regenerate, timeouts. */
@Controller()
export class ServerSessionController {
  @Get('none')
  none(): string {
    return 'no session touched';
  }

  @Get('s/:ns')
  async read(@Param('ns') ns: string, @Sessions() sessions: SessionContainer) {
    return view(await mount(sessions, ns));
  }

  @Post('s/:ns')
  @HttpCode(200)
  async write(
    @Param('ns') ns: string,
    @Body() body: Record<string, unknown>,
    @Sessions() sessions: SessionContainer,
  ) {
    const session = await mount(sessions, ns);
    session.update(body);
    return view(session);
  }

  @Post('s/:ns/push/:key')
  @HttpCode(200)
  async push(
    @Param('ns') ns: string,
    @Param('key') key: string,
    @Sessions() sessions: SessionContainer,
  ) {
    // A nested mutation without changed(): found by detectChanges.
    const session = await mount(sessions, ns);
    (session.get(key) as unknown[]).push('more');
    return view(session);
  }

  @Post('s/:ns/clear')
  @HttpCode(200)
  async clear(@Param('ns') ns: string, @Sessions() sessions: SessionContainer) {
    const session = await mount(sessions, ns);
    session.clear();
    return view(session);
  }

  @Post('s/:ns/invalidate')
  @HttpCode(200)
  async invalidate(@Param('ns') ns: string, @Sessions() sessions: SessionContainer) {
    const session = await mount(sessions, ns);
    await session.invalidate();
    return view(session);
  }

  @Post('s/:ns/regenerate')
  @HttpCode(200)
  async regenerate(@Param('ns') ns: string, @Sessions() sessions: SessionContainer) {
    const session = await mount(sessions, ns);
    await session.regenerate();
    return view(session);
  }

  @Post('s/:ns/ensure')
  @HttpCode(200)
  async ensure(
    @Param('ns') ns: string,
    @Body() body: Record<string, unknown>,
    @Sessions() sessions: SessionContainer,
  ) {
    const session = await mount(sessions, ns);
    session.update(body);
    const id = await session.ensureId();
    // Tests compare this with the cookie; a real application would never send an id in a body.
    return { ...view(session), idLength: id.length };
  }

  @Post('s/:ns/timeout/:seconds')
  @HttpCode(200)
  async timeout(
    @Param('ns') ns: string,
    @Param('seconds') seconds: string,
    @Sessions() sessions: SessionContainer,
  ) {
    const session = await mount(sessions, ns);
    session.adjustTimeout(Number(seconds));
    return view(session);
  }

  @Post('s/:ns/expires/:epoch')
  @HttpCode(200)
  async expires(
    @Param('ns') ns: string,
    @Param('epoch') epoch: string,
    @Sessions() sessions: SessionContainer,
  ) {
    const session = await mount(sessions, ns);
    session.adjustExpires(Number(epoch));
    return view(session);
  }

  @Post('s/:ns/fail')
  async fail(
    @Param('ns') ns: string,
    @Body() body: Record<string, unknown>,
    @Sessions() sessions: SessionContainer,
  ): Promise<never> {
    const session = await mount(sessions, ns);
    session.update(body);
    throw new ServiceUnavailableException('handler failed after writing the session');
  }

  @Post('login')
  @HttpCode(200)
  async login(@Sessions() sessions: SessionContainer) {
    await sessions.regenerateAll();
    return 'ok';
  }
}

/** The session id inside a signed cookie value (`<id>.<mac>`). */
export function idFromCookie(res: Response, cookieName: string): string {
  const value = decodeURIComponent(cookieValue(res, cookieName));
  return value.slice(0, value.lastIndexOf('.'));
}

/** The Redis key a RedisStore with `prefix` uses for session `id`. */
export function redisKeyFor(prefix: string, id: string): string {
  return prefix + storeKey(id);
}

/** Commands that are the test's own (stats, inspection) or a connection's handshake. */
export const NOT_APP_COMMANDS = new Set([
  'info',
  'config',
  'slowlog',
  'client',
  'hello',
  'select',
  'auth',
  'ping',
  'command',
  'cluster',
  'readonly',
]);

/** Keeps only the application's commands from an `INFO commandstats` map. */
export function appCommands(stats: Record<string, number>): Record<string, number> {
  // Redis 7 names subcommands "config|resetstat".
  return Object.fromEntries(
    Object.entries(stats).filter(([name]) => !NOT_APP_COMMANDS.has(name.split('|')[0]!)),
  );
}
