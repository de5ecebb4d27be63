/** What the panel shows in place of a masked value. @internal */
export const REDACTED = '[redacted]';

const MAX_DEPTH = 6;
const MAX_STRING = 500;
const MAX_ENTRIES = 100;
/** A snapshot larger than this (as JSON) is replaced by a note with its size. */
const MAX_SNAPSHOT_CHARS = 32_000;

/** True when the key contains one of the fragments (already lower case). @internal */
export function isRedactedKey(key: string, fragments: readonly string[]): boolean {
  const lower = key.toLowerCase();
  return fragments.some((f) => lower.includes(f));
}

function bounded(value: unknown, fragments: readonly string[], depth: number): unknown {
  if (typeof value === 'string') {
    return value.length > MAX_STRING
      ? `${value.slice(0, MAX_STRING)}… (${value.length} chars)`
      : value;
  }
  if (value === null || typeof value !== 'object') {
    return typeof value === 'number' || typeof value === 'boolean' ? value : String(value);
  }
  if (depth >= MAX_DEPTH) {
    return Array.isArray(value) ? `[array of ${value.length}]` : '[object]';
  }
  if (Array.isArray(value)) {
    const out = value.slice(0, MAX_ENTRIES).map((v) => bounded(v, fragments, depth + 1));
    if (value.length > MAX_ENTRIES) {
      out.push(`… ${value.length - MAX_ENTRIES} more`);
    }
    return out;
  }
  const out: Record<string, unknown> = {};
  const keys = Object.keys(value);
  for (const key of keys.slice(0, MAX_ENTRIES)) {
    out[key] = isRedactedKey(key, fragments)
      ? REDACTED
      : bounded((value as Record<string, unknown>)[key], fragments, depth + 1);
  }
  if (keys.length > MAX_ENTRIES) {
    out['…'] = `${keys.length - MAX_ENTRIES} more keys`;
  }
  return out;
}

/**
 * Session data as the panel may show it: values under a redacted key masked at any depth,
 * depth, string length and entry counts bounded, and the whole replaced by a note when it is
 * still too large. Reads the data without marking the session.
 *
 * @internal
 */
export function snapshot(
  data: Readonly<Record<string, unknown>>,
  fragments: readonly string[],
): Record<string, unknown> {
  const view = bounded(data, fragments, 0) as Record<string, unknown>;
  const size = JSON.stringify(view).length;
  return size > MAX_SNAPSHOT_CHARS ? { '…': `data too large to show (${size} chars)` } : view;
}

/**
 * Each top-level key's value as JSON, to tell which keys a request added, removed or changed.
 * Kept in memory only, never shown.
 *
 * @internal
 */
export function keyPrints(data: Readonly<Record<string, unknown>>): Map<string, string> {
  const prints = new Map<string, string>();
  for (const key of Object.keys(data)) {
    prints.set(key, JSON.stringify(data[key]) ?? 'undefined');
  }
  return prints;
}

/** Keys added, removed and changed between two sets of key prints. @internal */
export interface KeyChanges {
  added: string[];
  removed: string[];
  changed: string[];
}

/** @internal */
export function keyChanges(before: Map<string, string>, after: Map<string, string>): KeyChanges {
  const changes: KeyChanges = { added: [], removed: [], changed: [] };
  for (const [key, print] of after) {
    const old = before.get(key);
    if (old === undefined) {
      changes.added.push(key);
    } else if (old !== print) {
      changes.changed.push(key);
    }
  }
  for (const key of before.keys()) {
    if (!after.has(key)) {
      changes.removed.push(key);
    }
  }
  return changes;
}
