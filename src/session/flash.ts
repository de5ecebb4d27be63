import { assertJsonValue } from './json-value';

/** Options of `session.flash()`. @publicApi */
export interface FlashOptions {
  /** Queue name; messages in different queues are kept apart. @default '' */
  queue?: string;
  /** When false, a message equal to one already queued is not added again. @default true */
  allowDuplicate?: boolean;
}

/** Flash queues live under `_f_<queue>`, as in Pyramid, so payloads stay compatible. */
const FLASH_PREFIX = '_f_';

function queueKey(queue: string): string {
  return FLASH_PREFIX + queue;
}

function queueOf(data: Record<string, unknown>, queue: string): unknown[] | undefined {
  const value = data[queueKey(queue)];
  return Array.isArray(value) ? value : undefined;
}

/** @internal */
export function flash(
  data: Record<string, unknown>,
  message: unknown,
  options: FlashOptions,
): boolean {
  const queue = options.queue ?? '';
  assertJsonValue(message, `${queueKey(queue)}[]`);
  const list = queueOf(data, queue) ?? [];
  const serialized = JSON.stringify(message);
  if (options.allowDuplicate === false && list.some((m) => JSON.stringify(m) === serialized)) {
    return false;
  }
  list.push(message);
  data[queueKey(queue)] = list;
  return true;
}

/** @internal */
export function popFlash(
  data: Record<string, unknown>,
  queue: string,
  markDirty: () => void,
): unknown[] {
  const list = queueOf(data, queue);
  if (list === undefined) {
    return [];
  }
  delete data[queueKey(queue)];
  markDirty();
  return list;
}

/** @internal */
export function peekFlash(data: Record<string, unknown>, queue: string): unknown[] {
  return [...(queueOf(data, queue) ?? [])];
}
