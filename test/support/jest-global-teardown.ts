import { rmSync } from 'node:fs';
import { killLeftovers, RUN_DIR_ENV } from './spawned-processes';

/**
 * Kills the servers this run started and left running (a hook that timed out, a test that failed
 * before its `stop()`), then removes the run's directory with their data directories.
 */
export default function globalTeardown(): void {
  const runDir = process.env[RUN_DIR_ENV];
  if (runDir === undefined) {
    return;
  }
  const killed = killLeftovers(runDir);
  if (killed.length > 0) {
    console.warn(
      `Stopped ${killed.length} server(s) the test run left running: PID ${killed.join(', ')}`,
    );
  }
  rmSync(runDir, { recursive: true, force: true });
}
