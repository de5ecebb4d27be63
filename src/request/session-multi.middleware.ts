import type { SessionRequest, SessionResponse } from '../factories/session-factory.interface';
import type { SessionRegistry } from '../module/session-registry';
import { SessionContainer } from './session-container';

/** A request with the container attached (Express, or Fastify's raw request). @publicApi */
export type SessionMultiRequest = SessionRequest & { sessionMulti?: SessionContainer };

/** A Fastify request: the container is on it and on its raw Node request. */
type AdapterRequest = {
  sessionMulti?: SessionContainer;
  raw?: { sessionMulti?: SessionContainer };
};

/**
 * Attaches an empty {@link SessionContainer} as `req.sessionMulti`. Loads nothing: a request
 * that never asks for a session costs one small object.
 *
 * @internal
 */
export function attachContainer(
  registry: SessionRegistry,
  req: SessionMultiRequest,
  res: SessionResponse,
): SessionContainer {
  return (req.sessionMulti ??= new SessionContainer(registry, req, res));
}

/**
 * The request's container, from an Express request or a Fastify one (where the container lives
 * on the raw Node request too), or undefined when the module's middleware did not run.
 *
 * @internal
 */
export function containerOfRequest(req: unknown): SessionContainer | undefined {
  const r = req as AdapterRequest | undefined;
  return r?.sessionMulti ?? r?.raw?.sessionMulti;
}
