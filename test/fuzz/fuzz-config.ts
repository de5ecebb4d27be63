import fc from 'fast-check';

/**
 * Cases per property: 1,000 under `npm test`, `FUZZ_RUNS` (100,000 in `npm run fuzz`) otherwise.
 * `FUZZ_SEED` replays a reported failure.
 */
export const FUZZ_RUNS = wholeNumber(process.env.FUZZ_RUNS) ?? 1000;
const FUZZ_SEED = wholeNumber(process.env.FUZZ_SEED);

/**
 * Jest timeout of one property: 20 ms a case. A cookie round trip takes well under a millisecond,
 * but `nice -n 19` on a machine busy with other work can stretch that tenfold, and a property
 * that times out keeps running beside the next one.
 */
export const FUZZ_TIMEOUT_MS = Math.max(60_000, FUZZ_RUNS * 20);

/** A summary line per property is printed when the run count was asked for (npm run fuzz). */
const REPORT = process.env.FUZZ_RUNS !== undefined;

function wholeNumber(text: string | undefined): number | undefined {
  const n = text === undefined ? NaN : Number(text);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/**
 * Runs a property FUZZ_RUNS times, prints `fuzz <name> runs=<n> failures=<0|1> seconds=<s>` in
 * report mode, and fails the test with fast-check's counterexample (shrunk, with its seed) when one is found.
 */
export async function checkProperty<Ts>(
  name: string,
  property: fc.IRawProperty<Ts>,
): Promise<void> {
  const started = performance.now();
  const details = await fc.check(property, {
    numRuns: FUZZ_RUNS,
    ...(FUZZ_SEED === undefined ? {} : { seed: FUZZ_SEED }),
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (REPORT) {
    // Straight to stderr: Jest's console capture would bury it under a stack trace.
    process.stderr.write(
      `fuzz  ${name.padEnd(72)} runs=${details.numRuns} failures=${details.failed ? 1 : 0} seconds=${seconds} seed=${details.seed}\n`,
    );
  }
  if (details.failed) {
    throw new Error(fc.defaultReportMessage(details) ?? `Property "${name}" failed.`);
  }
}
