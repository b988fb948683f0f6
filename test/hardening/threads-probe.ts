// Samples how many of the addon's threads are running or runnable (state R in
// /proc/self/task/<tid>/stat): its job threads and their OpenMP workers, named spearsim-job and
// spearsim-omp (a worker created by a job thread inherits its name). V8's and libuv's helper
// threads are not counted: a GC burst would otherwise read as kernel threads. Linux only (tests
// skip elsewhere).
import * as fs from 'node:fs';

export const CAN_PROBE_THREADS = process.platform === 'linux' && fs.existsSync('/proc/self/task');

/** Running kernel threads of the addon (reads /proc, ~0.2 ms). */
export function runningThreads(): number {
  let running = 0;
  for (const tid of fs.readdirSync('/proc/self/task')) {
    if (Number(tid) === process.pid) continue;
    try {
      const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      // `tid (name) state ...`: the name may contain spaces and parentheses, the state follows the last ')'
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      if (state === 'R' && name.startsWith('spearsim-')) running++;
    } catch {
      // the thread exited between readdir and read
    }
  }
  return running;
}

/** Total threads of the process (Threads: in /proc/self/status). */
export function totalThreads(): number {
  const m = /^Threads:\s+(\d+)/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) : NaN;
}

/** Samples `probe` every `everyMs` until stopped; returns the samples. */
export function sampler(probe: () => number, everyMs = 2): { stop: () => number[] } {
  const samples: number[] = [];
  const timer = setInterval(() => samples.push(probe()), everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      return samples;
    },
  };
}

/** The k-th largest sample (robust maximum: ignores k - 1 outliers such as a GC helper burst). */
export function kthLargest(samples: readonly number[], k: number): number {
  const sorted = [...samples].sort((a, b) => b - a);
  return sorted[Math.min(k - 1, sorted.length - 1)] ?? 0;
}
