import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import {
  ENV_REDIS_URL,
  ENV_VARIANT,
  type ChildMessage,
  type ParentMessage,
  type VariantName,
} from './variants';

/** A variant's Nest app running in its own child process. */
export interface ChildApp {
  readonly variant: VariantName;
  readonly port: number;
  readonly process: ChildProcess;
  /** The child's monotonic clock in microseconds, to cut a CPU profile at this moment. */
  mark(): Promise<number>;
  stop(): Promise<void>;
}

/** Node flags every child gets: Nest 12 is ESM-only and is loaded through require(esm). */
const BASE_EXEC_ARGV = ['--no-warnings=ExperimentalWarning'];

/** Forks bench/app/main.js for `variant` and waits until it listens. */
export function startChildApp(
  variant: VariantName,
  redisUrl: string,
  extraExecArgv: string[] = [],
): Promise<ChildApp> {
  const child = fork(join(__dirname, '..', 'app', 'main.js'), [], {
    env: { ...process.env, [ENV_VARIANT]: variant, [ENV_REDIS_URL]: redisUrl },
    execArgv: [...BASE_EXEC_ARGV, ...extraExecArgv],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`Variant "${variant}": the app did not start within 30 s.`));
    }, 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Variant "${variant}": the app exited with code ${String(code)}.`));
    });
    child.on('message', (message: ChildMessage) => {
      clearTimeout(timer);
      if (message.type === 'mark') {
        return;
      }
      if (message.type === 'error') {
        reject(new Error(`Variant "${variant}": the app failed to start:\n${message.message}`));
        return;
      }
      resolve({
        variant,
        port: message.port,
        process: child,
        mark: () =>
          new Promise<number>((resolveMark) => {
            const onMessage = (reply: ChildMessage): void => {
              if (reply.type === 'mark') {
                child.off('message', onMessage);
                resolveMark(reply.micros);
              }
            };
            child.on('message', onMessage);
            child.send({ type: 'mark' } satisfies ParentMessage);
          }),
        stop: async () => {
          if (child.exitCode !== null || child.signalCode !== null) {
            return;
          }
          const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
          child.send({ type: 'stop' } satisfies ParentMessage);
          await exited;
          clearTimeout(kill);
        },
      });
    });
  });
}
