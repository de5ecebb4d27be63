/**
 * Process-level guard for every e2e file (jest.config.js, e2e project, `setupFilesAfterEnv`):
 * counts the `unhandledRejection` and `uncaughtException` events the process emits while the
 * file runs, and fails the file in an `afterAll` when either happened, printing what was caught.
 * A response path that loses an error (a rejected commit nobody awaits, a throw after `res.send`)
 * shows up here even when every assertion of the file passed.
 */
import { inspect } from 'node:util';
import { runInThisContext } from 'node:vm';

interface Caught {
  event: 'unhandledRejection' | 'uncaughtException';
  /** The test running or last started when the event arrived (it may land in a hook after it). */
  test: string;
  error: unknown;
}

const caught: Caught[] = [];

function currentTest(): string {
  return expect.getState().currentTestName ?? '(between tests)';
}

const onRejection = (reason: unknown): void => {
  caught.push({ event: 'unhandledRejection', test: currentTest(), error: reason });
};
const onException = (error: Error): void => {
  caught.push({ event: 'uncaughtException', test: currentTest(), error });
};

/**
 * The real Node process. The test file's `process` is Jest's sandbox copy, a separate emitter that
 * never sees these events; code run in this (the runner's) context reads the real one.
 */
const realProcess = runInThisContext('process') as NodeJS.Process;

// In a beforeAll: jest-circus swaps the process's listeners for its own when the run starts
// (setup files run before that), so listeners added earlier would be removed for the whole run.
beforeAll(() => {
  realProcess.on('unhandledRejection', onRejection);
  realProcess.on('uncaughtException', onException);
});

afterAll(async () => {
  // Let rejections of the last test's tail (timers, sockets closing) reach the listeners.
  await new Promise((resolve) => setTimeout(resolve, 50));
  realProcess.off('unhandledRejection', onRejection);
  realProcess.off('uncaughtException', onException);
  const rejections = caught.filter((c) => c.event === 'unhandledRejection').length;
  const exceptions = caught.length - rejections;
  if (caught.length > 0) {
    const lines = caught.map(
      (c) => `- ${c.event} (test: "${c.test}"):\n${inspect(c.error, { depth: 4 })}`,
    );
    throw new Error(
      `process guard: ${rejections} unhandledRejection and ${exceptions} uncaughtException event(s) in this file:\n${lines.join('\n')}`,
    );
  }
});
