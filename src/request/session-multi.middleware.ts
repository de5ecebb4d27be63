import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { SessionRequest, SessionResponse } from '../factories/session-factory.interface';
import { SessionRegistry } from '../module/session-registry';
import { SessionContainer } from './session-container';

/** Request with the container attached. @publicApi */
export type SessionMultiRequest = SessionRequest & { sessionMulti?: SessionContainer };

/**
 * Attaches an empty {@link SessionContainer} as `req.sessionMulti`. Loads nothing: a request
 * that never asks for a session costs one small object.
 *
 * @internal
 */
@Injectable()
export class SessionMultiMiddleware implements NestMiddleware {
  constructor(private readonly registry: SessionRegistry) {}

  use(req: SessionMultiRequest, res: SessionResponse, next: () => void): void {
    req.sessionMulti ??= new SessionContainer(this.registry, req, res);
    next();
  }
}
