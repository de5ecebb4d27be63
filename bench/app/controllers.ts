import { Controller, Get, HttpCode, Post, Req, type Type } from '@nestjs/common';
import { Session, Sessions, type SessionContainer } from '../../src/index';
import { addSessionRouteMachinery } from './nest-machinery';

/** The body of every /none response, so all variants send the same bytes. */
const NONE = { ok: true };

/**
 * The three routes over our sessions. `namespace` is the one /read and /write touch; /prime
 * (untimed, before each run) writes into every namespace in `primeNamespaces` so the client
 * carries a cookie for each of them. `prefix` mounts the routes under a path (same-process runs).
 */
export function oursController(namespace: string, primeNamespaces: string[], prefix = ''): Type {
  @Controller(prefix)
  class OursBenchController {
    @Get('none')
    none(): object {
      return NONE;
    }

    @Get('read')
    read(@Session(namespace) session: Session | null): object {
      return { counter: session?.get('counter') ?? 0 };
    }

    @Post('write')
    @HttpCode(200)
    write(@Session(namespace) session: Session | null): object {
      const counter = ((session!.get('counter') as number | undefined) ?? 0) + 1;
      session!.set('counter', counter);
      return { counter };
    }

    @Post('prime')
    @HttpCode(200)
    async prime(@Sessions() sessions: SessionContainer): Promise<object> {
      for (const ns of primeNamespaces) {
        (await sessions.get(ns))!.set('counter', 1);
      }
      return NONE;
    }
  }
  return OursBenchController;
}

/** What express-session and cookie-session both put on the request. */
interface PeerRequest {
  session?: Record<string, unknown> | null;
}

/** The three routes over `req.session` (express-session, cookie-session), under `prefix`. */
export function peerController(prefix = ''): Type {
  @Controller(prefix)
  class PeerBenchController {
    @Get('none')
    none(): object {
      return NONE;
    }

    @Get('read')
    read(@Req() req: PeerRequest): object {
      return { counter: req.session?.counter ?? 0 };
    }

    @Post('write')
    @HttpCode(200)
    write(@Req() req: PeerRequest): object {
      const session = req.session!;
      const counter = ((session.counter as number | undefined) ?? 0) + 1;
      session.counter = counter;
      return { counter };
    }

    @Post('prime')
    @HttpCode(200)
    prime(@Req() req: PeerRequest): object {
      req.session!.counter = 1;
      return NONE;
    }
  }
  return PeerBenchController;
}

export const PeerBenchController = peerController();

/**
 * The floor: same routes, no session anywhere (/read and /write answer a constant). `intercepted`
 * (variant bare-intercepted) gives /read the interceptor and parameter machinery of a session route.
 */
export function bareController(prefix = '', intercepted = false): Type {
  @Controller(prefix)
  class BareBenchController {
    @Get('none')
    none(): object {
      return NONE;
    }

    @Get('read')
    read(zero = 0): object {
      return { counter: zero };
    }

    @Post('write')
    @HttpCode(200)
    write(): object {
      return { counter: 1 };
    }

    @Post('prime')
    @HttpCode(200)
    prime(): object {
      return NONE;
    }
  }
  if (intercepted) {
    addSessionRouteMachinery(BareBenchController, 'read');
  }
  return BareBenchController;
}

export const BareBenchController = bareController();
