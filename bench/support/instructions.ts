import { spawn, spawnSync } from 'node:child_process';

/**
 * Instructions the app's process executes (user and kernel, every thread), counted by Linux
 * `perf stat` attached to the process for the length of a timed run. Unlike time, an instruction
 * count does not change when the host steals the CPU or another process evicts the caches, so
 * on a noisy machine it shows the work a request costs when req/s cannot.
 */
export const INSTRUCTIONS_COUNTED = perfWorks();

function perfWorks(): boolean {
  if (process.platform !== 'linux' || process.env.BENCH_NO_PERF === '1') {
    return false;
  }
  const probe = spawnSync('perf', ['stat', '-x', ',', '-e', 'instructions', 'true'], {
    encoding: 'utf8',
  });
  return probe.status === 0 && parseInstructions(probe.stderr) !== undefined;
}

/** The count in `perf stat -x ,` output (`<count>,,instructions,...`), if perf could count. */
export function parseInstructions(output: string): number | undefined {
  for (const line of output.split('\n')) {
    const [count, , event] = line.split(',');
    if (event?.startsWith('instructions')) {
      const n = Number(count);
      return Number.isFinite(n) && n > 0 ? n : undefined;
    }
  }
  return undefined;
}

/** Runs `work` while perf counts the instructions of process `pid`. */
export async function countInstructions<T>(
  pid: number | undefined,
  work: () => Promise<T>,
): Promise<{ result: T; instructions: number | undefined }> {
  if (!INSTRUCTIONS_COUNTED || pid === undefined) {
    return { result: await work(), instructions: undefined };
  }
  const perf = spawn('perf', ['stat', '-x', ',', '-e', 'instructions', '-p', String(pid)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let output = '';
  perf.stderr.setEncoding('utf8');
  perf.stderr.on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<void>((resolve) => perf.once('exit', () => resolve()));
  // perf attaches within a few milliseconds; the warm-up before the run covers them.
  await new Promise((resolve) => setTimeout(resolve, 20));
  let result: T;
  try {
    result = await work();
  } finally {
    perf.kill('SIGINT');
    await exited;
  }
  return { result, instructions: parseInstructions(output) };
}
