/**
 * `npm run bench:micro`: the hot-path micro-benchmarks alone (also part of `npm run bench`).
 * `--quick` for fewer, shorter samples.
 */
import { FULL_MICRO, QUICK_MICRO } from './micro/harness';
import { runMicroSuite } from './micro/suite';

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  process.stdout.write(
    `Micro-benchmarks (${quick ? 'quick' : 'full'}), Node ${process.version}\n\n`,
  );
  const report = await runMicroSuite(quick ? QUICK_MICRO : FULL_MICRO);
  process.stdout.write(`${report.markdown}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
