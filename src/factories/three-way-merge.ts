type Data = Record<string, unknown>;

/** Result of {@link mergeSessionData}. @internal */
export type MergeResult = { ok: true; data: Data } | { ok: false; keys: string[] };

function same(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

function changedKeys(from: Data, to: Data): Set<string> {
  const keys = new Set<string>();
  for (const key of Object.keys(from)) {
    if (!Object.hasOwn(to, key) || !same(from[key], to[key])) {
      keys.add(key);
    }
  }
  for (const key of Object.keys(to)) {
    if (!Object.hasOwn(from, key)) {
      keys.add(key);
    }
  }
  return keys;
}

/**
 * Key-level three-way merge of session data: `base` is what this request loaded, `mine` what it
 * holds now, `theirs` what the store holds now. Keys changed only by this request are applied on
 * top of `theirs`. A key both changed is a conflict, even when both wrote the same value: two
 * requests that each add one to a counter write equal values, and taking one would lose the
 * other's increment. A key both removed is not (no value is lost).
 *
 * @internal
 */
export function mergeSessionData(base: Data, mine: Data, theirs: Data): MergeResult {
  const ours = changedKeys(base, mine);
  const other = changedKeys(base, theirs);
  const clashes = [...ours].filter(
    (key) => other.has(key) && (Object.hasOwn(mine, key) || Object.hasOwn(theirs, key)),
  );
  if (clashes.length > 0) {
    return { ok: false, keys: clashes };
  }
  const data: Data = { ...theirs };
  for (const key of ours) {
    if (Object.hasOwn(mine, key)) {
      data[key] = mine[key];
    } else {
      delete data[key];
    }
  }
  return { ok: true, data };
}
