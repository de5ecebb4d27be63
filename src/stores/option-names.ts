/**
 * The unknown-option check shared by the stores and the factories: option names given but not
 * known, each with the nearest known name when one is close (a typo such as `maxage` for
 * `maxAge`). Values from `ConfigService` or JavaScript callers reach the constructors unchecked
 * by the compiler, so the check runs at run time too.
 */

/**
 * The first option name given but not known, as a message, or undefined.
 *
 * @internal
 */
export function unknownOptionProblem(
  options: object,
  known: readonly string[],
  owner: string,
): string | undefined {
  for (const name of Object.keys(options)) {
    if (known.includes(name)) {
      continue;
    }
    const nearest = nearestName(name, known) ?? knownAlias(name, known);
    return nearest === undefined
      ? `unknown option "${name}"; ${owner} has no option of that name. Remove it, or check its spelling against the documented options.`
      : `unknown option "${name}". Did you mean "${nearest}"?`;
  }
  return undefined;
}

/**
 * {@link unknownOptionProblem} for a store, whose few options fit in the message: `MemoryStore:
 * unknown option "maxEntry"; its options are maxEntries, sweepInterval.`
 *
 * @internal
 */
export function unknownStoreOptionProblem(
  options: object,
  known: readonly string[],
  store: string,
): string | undefined {
  const name = Object.keys(options).find((key) => !known.includes(key));
  if (name === undefined) {
    return undefined;
  }
  const nearest = nearestName(name, known);
  return nearest === undefined
    ? `${store}: unknown option "${name}"; its options are ${known.join(', ')}. Remove it, or fix its spelling.`
    : `${store}: unknown option "${name}". Did you mean "${nearest}"?`;
}

/**
 * The known name within a few edits of `name` (`timout` → `timeout`), or else the one sharing
 * most of its start with it (`maxEntry` → `maxEntries`, which is three edits away).
 */
/**
 * Names other session libraries give an option these factories name differently
 * (connect-redis's `ttl`, express-session's `name`, cookie-session's `keys`).
 */
const ALIASES: Readonly<Record<string, string>> = {
  ttl: 'timeout',
  name: 'cookieName',
  keys: 'secret',
};

function knownAlias(name: string, known: readonly string[]): string | undefined {
  const alias = Object.hasOwn(ALIASES, name) ? ALIASES[name] : undefined;
  return alias !== undefined && known.includes(alias) ? alias : undefined;
}

function nearestName(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const candidate of known) {
    const distance = levenshtein(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best ?? known.find((candidate) => sharesStem(lower, candidate.toLowerCase()));
}

/** Both names start with the same 5 or more characters, all but one of the shorter name's. */
function sharesStem(a: string, b: string): boolean {
  const shorter = Math.min(a.length, b.length);
  let common = 0;
  while (common < shorter && a[common] === b[common]) {
    common++;
  }
  return common >= 5 && common >= shorter - 1;
}

/** Edit distance (insertions, deletions, substitutions), two rows at a time. @internal */
export function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** Every key of `T`, checked by the compiler against the options interface. @internal */
export function optionNames<T>(names: Record<keyof T, true>): readonly string[] {
  return Object.keys(names);
}
