/**
 * Reads a V8 .cpuprofile (what `node --cpu-prof` writes) and summarises where the time went:
 * self time per function, inclusive time of the library's own functions, and time per area
 * (our src, each package, Node internals, GC).
 */

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

/** The JSON written by --cpu-prof. Times are microseconds of the process's monotonic clock. */
export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileLine {
  name: string;
  micros: number;
  share: number;
}

export interface ProfileSummary {
  windowMicros: number;
  selfTop: ProfileLine[];
  ownInclusive: ProfileLine[];
  areas: ProfileLine[];
}

/** Where a frame's code lives, from its URL. */
export function areaOf(frame: CallFrame): string {
  const url = frame.url;
  if (url === '') {
    return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  }
  if (url.startsWith('node:')) {
    return 'node internals';
  }
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) {
    return pkg[1]!;
  }
  if (url.includes('/dist-bench/src/')) {
    return 'nestjs-session-multi (src)';
  }
  if (url.includes('/dist-bench/bench/')) {
    return 'bench app';
  }
  return url;
}

function frameKey(frame: CallFrame): string {
  const name = frame.functionName === '' ? '(anonymous)' : frame.functionName;
  if (frame.url === '') {
    return name;
  }
  const file = frame.url
    .replace(/^file:\/\//, '')
    .replace(/^.*\/node_modules\//, '')
    .replace(/^.*\/dist-bench\//, '');
  return `${name} ${file}:${frame.lineNumber + 1}`;
}

function top(map: Map<string, number>, total: number, n: number): ProfileLine[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, micros]) => ({ name, micros, share: micros / total }));
}

/**
 * Summarises the samples taken at or after `fromMicros` (the child's clock when the measured load
 * began), so start-up and warm-up are left out. `(idle)` time is excluded from the shares.
 */
export function summariseProfile(profile: CpuProfile, fromMicros = 0, n = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) {
      parent.set(child, node.id);
    }
  }
  const self = new Map<string, number>();
  const own = new Map<string, number>();
  const areas = new Map<string, number>();
  let time = profile.startTime;
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    time += profile.timeDeltas[i] ?? 0;
    // The delta before the next sample is the time this sample stands for.
    const micros = profile.timeDeltas[i + 1] ?? 0;
    const node = byId.get(profile.samples[i]!)!;
    if (time < fromMicros || node.callFrame.functionName === '(idle)') {
      continue;
    }
    total += micros;
    const key = frameKey(node.callFrame);
    self.set(key, (self.get(key) ?? 0) + micros);
    const area = areaOf(node.callFrame);
    areas.set(area, (areas.get(area) ?? 0) + micros);
    // Inclusive time of our own functions: count each function once per stack.
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id)!.callFrame;
      if (areaOf(frame) === 'nestjs-session-multi (src)') {
        const k = frameKey(frame);
        if (!seen.has(k)) {
          seen.add(k);
          own.set(k, (own.get(k) ?? 0) + micros);
        }
      }
    }
  }
  return {
    windowMicros: total,
    selfTop: top(self, total, n),
    ownInclusive: top(own, total, n),
    areas: top(areas, total, n),
  };
}

function table(title: string, lines: ProfileLine[]): string {
  const rows = lines.map(
    (l) =>
      `| ${l.name.replace(/\|/g, '\\|')} | ${(l.micros / 1000).toFixed(0)} | ${(l.share * 100).toFixed(1)}% |`,
  );
  return [`| ${title} | ms | share |`, '|---|---:|---:|', ...rows].join('\n');
}

export function formatProfile(summary: ProfileSummary): string {
  return [
    `Busy time in the measured window: ${(summary.windowMicros / 1000).toFixed(0)} ms (idle excluded).`,
    '',
    '### Self time by area',
    '',
    table('Area', summary.areas),
    '',
    '### Top functions by self time',
    '',
    table('Function', summary.selfTop),
    '',
    '### Inclusive time of the library functions (src/)',
    '',
    table('Function', summary.ownInclusive),
  ].join('\n');
}
