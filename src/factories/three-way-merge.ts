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
 * top of `theirs`; a key both changed to different values is a conflict.
 *
 * @internal
 */
export function mergeSessionData(base: Data, mine: Data, theirs: Data): MergeResult {
  const ours = changedKeys(base, mine);
  const other = changedKeys(base, theirs);
  const clashes = [...ours].filter((key) => {
    if (!other.has(key)) {
      return false;
    }
    const a = Object.hasOwn(mine, key);
    const b = Object.hasOwn(theirs, key);
    return a !== b || (a && !same(mine[key], theirs[key]));
  });
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
