import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { basename, join } from 'node:path';
import {
  ENV_REDIS_URL,
  ENV_VARIANT,
  VARIANT_NAMES,
  type ChildMessage,
  type ParentMessage,
  type VariantName,
} from './variants';

/** A bench app (bench/app/serve.ts protocol) running in its own child process. */
export interface AppProcess {
  readonly port: number;
  readonly process: ChildProcess;
  /** The child's monotonic clock in microseconds, to cut a CPU profile at this moment. */
  mark(): Promise<number>;
  /** CPU time the child has used so far, in microseconds. */
  cpu(): Promise<number>;
  stop(): Promise<void>;
}

/** A variant's Nest app running in its own child process. */
export interface ChildApp extends AppProcess {
  readonly variant: VariantName;
  /** The variant's name, or `variant@build` for an app built from another checkout. */
  readonly label: string;
}

/** `ours-multi@/tmp/exp` → ['ours-multi', '/tmp/exp']; checks the variant name. */
export function splitLabel(label: string): [VariantName, string | undefined] {
  const at = label.indexOf('@');
  const variant = (at === -1 ? label : label.slice(0, at)) as VariantName;
  if (!VARIANT_NAMES.includes(variant)) {
    throw new Error(`Unknown variant "${variant}". Known: ${VARIANT_NAMES.join(', ')}.`);
  }
  return [variant, at === -1 ? undefined : label.slice(at + 1)];
}

/** Sends a question to the child and resolves with the number in its answer. */
function ask(child: ChildProcess, type: 'mark' | 'cpu'): Promise<number> {
  return new Promise<number>((resolve) => {
    const onMessage = (reply: ChildMessage): void => {
      if (reply.type === type) {
        child.off('message', onMessage);
        resolve(reply.micros);
      }
    };
    child.on('message', onMessage);
    child.send({ type } satisfies ParentMessage);
  });
}

/**
 * CPU pinning: on Linux with 2+ CPUs and `taskset`, the apps run on the last CPU and the load
 * generator (this process) and redis-server on the others, so the app measured never competes
 * with the client for a core. `BENCH_NO_PIN=1` turns it off.
 */
export const PINNING = pinningPlan();

function pinningPlan(): { app: string; rest: string } | undefined {
  const cpus = availableParallelism();
  if (process.platform !== 'linux' || cpus < 2 || process.env.BENCH_NO_PIN === '1') {
    return undefined;
  }
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  return { app: String(cpus - 1), rest: cpus === 2 ? '0' : `0-${cpus - 2}` };
}

/** Moves this process (every thread) to the load generator's CPUs; children inherit it. */
export function pinLoadGenerator(): void {
  if (PINNING !== undefined) {
    execFileSync('taskset', ['-a', '-p', '-c', PINNING.rest, String(process.pid)], {
      stdio: 'ignore',
    });
  }
}

/** Node flags every child gets: Nest 12 is ESM-only and is loaded through require(esm). */
const BASE_EXEC_ARGV = ['--no-warnings=ExperimentalWarning'];

/**
 * Forks bench/app/main.js for `variant` and waits until it listens. `label` may name another
 * build as `variant@/path/to/checkout` (its dist-bench is used): a way to A/B a patched src/.
 */
export async function startChildApp(
  label: string,
  redisUrl: string,
  extraExecArgv: string[] = [],
): Promise<ChildApp> {
  const [variant, checkout] = splitLabel(label);
  const main =
    checkout === undefined
      ? join(__dirname, '..', 'app', 'main.js')
      : join(checkout, 'dist-bench', 'bench', 'app', 'main.js');
  const app = await startAppProcess(
    main,
    `Variant "${variant}"`,
    { [ENV_VARIANT]: variant, [ENV_REDIS_URL]: redisUrl },
    extraExecArgv,
  );
  return {
    ...app,
    variant,
    label: checkout === undefined ? variant : `${variant}@${basename(checkout)}`,
  };
}

/** Forks a bench app script (pinned like the variants) and waits until it listens. */
export function startAppProcess(
  main: string,
  what: string,
  env: Record<string, string>,
  extraExecArgv: string[] = [],
): Promise<AppProcess> {
  const execArgv = [...BASE_EXEC_ARGV, ...extraExecArgv];
  const child = fork(main, [], {
    env: { ...process.env, ...env },
    // Pinned: `taskset -c <cpu> node <flags> main.js` (the IPC channel survives the exec).
    ...(PINNING === undefined
      ? { execArgv }
      : { execPath: 'taskset', execArgv: ['-c', PINNING.app, process.execPath, ...execArgv] }),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${what}: the app did not start within 30 s.`));
    }, 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what}: the app exited with code ${String(code)}.`));
    });
    child.on('message', (message: ChildMessage) => {
      clearTimeout(timer);
      if (message.type === 'mark' || message.type === 'cpu') {
        return;
      }
      if (message.type === 'error') {
        reject(new Error(`${what}: the app failed to start:\n${message.message}`));
        return;
      }
      resolve({
        port: message.port,
        process: child,
        mark: () => ask(child, 'mark'),
        cpu: () => ask(child, 'cpu'),
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
