import type { PreparedRegeneration } from '../session/session-backend.interface';
import type { SessionContainer } from './session-container';
import { toHttpError } from './session-store-unavailable.exception';

/** Invalidates every namespace of the request, loading those not yet loaded. @internal */
export async function invalidateEvery(container: SessionContainer): Promise<void> {
  for (const ns of container.namespaces) {
    const session = await container.get(ns);
    await session?.invalidate();
  }
}

/**
 * Regenerates every namespace holding data: every new record is written first, and when one
 * namespace fails the others are put back as they were, so a failed login leaves the visitor
 * with the sessions they had.
 *
 * @internal
 */
export async function regenerateEvery(container: SessionContainer): Promise<void> {
  const prepared: PreparedRegeneration[] = [];
  try {
    for (const ns of container.namespaces) {
      const session = await container.get(ns);
      if (session !== null && !session.isNew) {
        prepared.push(await session.prepareRegenerate());
      }
    }
  } catch (error) {
    await Promise.allSettled(prepared.map((p) => p.abort()));
    throw toHttpError(error);
  }
  for (let i = 0; i < prepared.length; i++) {
    try {
      await prepared[i]!.finish();
    } catch (error) {
      // The namespaces not finished yet keep their old ids; their new records go.
      await Promise.allSettled(prepared.slice(i + 1).map((p) => p.abort()));
      throw toHttpError(error);
    }
  }
}
