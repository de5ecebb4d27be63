import { Logger } from '@nestjs/common';

const logger = new Logger('SessionMultiDebug');
let warned = false;

/**
 * Runs a piece of recording; a failure is logged once per process and never reaches the
 * request, whose response and commit go on as without the panel.
 *
 * @internal
 */
export function guarded<T>(work: () => T): T | undefined {
  try {
    return work();
  } catch (error) {
    if (!warned) {
      warned = true;
      logger.warn(
        `Recording a request for the debug panel failed; the request was not affected. ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    return undefined;
  }
}
