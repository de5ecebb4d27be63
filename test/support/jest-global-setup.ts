import { startRun } from './spawned-processes';

/** Creates the run's directory, where the Redis helpers record the servers they start. */
export default function globalSetup(): void {
  startRun();
}
