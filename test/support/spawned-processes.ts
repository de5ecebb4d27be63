import type { ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The servers a test run starts, and what they print.
 *
 * Jest's globalSetup creates a directory for the run and names it in NSM_TEST_RUN_DIR, which the
 * workers inherit. Every server a helper spawns is recorded there (PID and start time), so the
 * globalTeardown can kill the ones a failed hook or test left running, and only those: a PID is
 * killed only while it still names the process that was recorded.
 */
export const RUN_DIR_ENV = 'NSM_TEST_RUN_DIR';
const REGISTRY_FILE = 'spawned-pids';
/** How much of a server's output is kept for error messages. */
const OUTPUT_LIMIT = 16 * 1024;

/** A temp directory for one server: inside the run's directory when there is one. */
export function serverTempDir(prefix: string): string {
  return mkdtempSync(join(process.env[RUN_DIR_ENV] ?? tmpdir(), prefix));
}

/** The process start time from /proc (clock ticks since boot), or undefined where there is none. */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19];
  } catch {
    return undefined;
  }
}

/** A spawned server: its output so far and how it ended, if it has. */
export interface SpawnedProcess {
  readonly child: ChildProcess;
  /** Resolves when the process has exited or could not be started. */
  readonly exited: Promise<void>;
  /** The last 16 KB of stdout and stderr. */
  output(): string;
  /** 'exit code 1', 'signal SIGKILL' or the spawn error once the process is gone; else undefined. */
  ended(): string | undefined;
}

/**
 * Records a just-spawned process in the run's registry and keeps the tail of its output. The child
 * must be spawned with stdout and stderr piped.
 */
export function trackSpawned(child: ChildProcess): SpawnedProcess {
  const runDir = process.env[RUN_DIR_ENV];
  if (runDir !== undefined && child.pid !== undefined) {
    const startTime = processStartTime(child.pid) ?? '-';
    appendFileSync(join(runDir, REGISTRY_FILE), `${child.pid} ${startTime}\n`);
  }
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let ended: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      ended = signal !== null ? `signal ${signal}` : `exit code ${String(code)}`;
      resolve();
    });
    child.once('error', (error) => {
      ended ??= `spawn error: ${error.message}`;
      resolve();
    });
  });
  return { child, exited, output: () => output, ended: () => ended };
}

/** Creates the run's directory and names it in the environment (Jest globalSetup). */
export function startRun(): string {
  const runDir = mkdtempSync(join(tmpdir(), 'nsm-test-run-'));
  process.env[RUN_DIR_ENV] = runDir;
  appendFileSync(join(runDir, REGISTRY_FILE), '');
  return runDir;
}

/** Whether the PID is alive and, where /proc tells, still the process that was recorded. */
function isRecordedProcess(pid: number, startTime: string): boolean {
  if (existsSync('/proc/self/stat')) {
    const now = processStartTime(pid);
    return now !== undefined && (startTime === '-' || now === startTime);
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Kills, by PID, every recorded process that is still alive and still the process that was
 * recorded (same start time). Returns the PIDs it killed.
 */
export function killLeftovers(runDir: string): number[] {
  let lines: string[];
  try {
    lines = readFileSync(join(runDir, REGISTRY_FILE), 'utf8').split('\n');
  } catch {
    return [];
  }
  const killed: number[] = [];
  for (const line of lines) {
    const [pidText, startTime] = line.split(' ');
    const pid = Number(pidText);
    if (!Number.isInteger(pid) || pid <= 0) {
      continue;
    }
    if (!isRecordedProcess(pid, startTime ?? '-')) {
      continue;
    }
    try {
      process.kill(pid, 'SIGKILL');
      killed.push(pid);
    } catch {
      // exited in the meantime
    }
  }
  return killed;
}

/** A process a readiness wait watches, so it can fail as soon as the process ends. */
export interface WatchedProcess {
  readonly name: string;
  ended(): string | undefined;
  output(): string;
}

/** Throws, with the process's output, when one of the processes has ended. */
export function assertRunning(processes: readonly WatchedProcess[]): void {
  for (const p of processes) {
    const ended = p.ended();
    if (ended !== undefined) {
      throw new Error(`${p.name} ended (${ended}). Output:\n${p.output()}`);
    }
  }
}
