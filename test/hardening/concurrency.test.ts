// Concurrency: 8 simultaneous async calls and calls from 4 worker_threads give the same
// bits as serial calls, and the threads actually working never exceed the configured budget (per
// realm in lib/internal/threads.ts, across realms in the native budget).
//
// "Working threads" are the addon's threads in state R (/proc/self/task/*/stat, by name: see
// threads-probe.ts), sampled every 2 ms during the run; the 95th percentile must stay within
// budget + 1 (the +1 and the percentile absorb an OpenMP worker still spinning for a moment after
// its team's region ended, before it sleeps).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clearCalibrationCache } from '../../lib/calibration';
import { loadAddon } from '../../lib/internal/native';
import { setThreadBudget, threadsInUse, withThreads } from '../../lib/internal/threads';
import { clearPowerCache } from '../../lib/power';
import { clearNullCache } from '../../lib/pvalues';
import { type CallSpec, runCall, runCalls } from './helpers/calls';
import { CAN_PROBE_THREADS, kthLargest, runningThreads, sampler } from './threads-probe';

function clearCaches(): void {
  clearCalibrationCache();
  clearNullCache();
  clearPowerCache();
}

/** 95th percentile of the samples. */
function p95(samples: readonly number[]): number {
  return kthLargest(samples, Math.max(1, Math.ceil(samples.length * 0.05)));
}

const MIXED: CallSpec[] = [
  { name: 'batch', seed: 1, threads: 2 },
  { name: 'ci', seed: 2, threads: 2 },
  { name: 'scenarioCi', seed: 3, threads: 2 },
  { name: 'power', seed: 4, threads: 2 },
  { name: 'null', seed: 5, threads: 2 },
  { name: 'calibrate', seed: 6, threads: 2 },
  { name: 'batch', seed: 7, threads: 1 },
  { name: 'ci', seed: 8, threads: 1 },
];

afterAll(() => setThreadBudget(0));

describe('8 simultaneous async calls', () => {
  it('give the same bits as serial calls, within the thread budget', async () => {
    clearCaches();
    const serial: number[][] = [];
    for (const spec of MIXED) serial.push(await runCall(spec));

    clearCaches();
    setThreadBudget(2);
    const held = sampler(threadsInUse, 1);
    const running = CAN_PROBE_THREADS ? sampler(runningThreads, 2) : null;
    const concurrent = await runCalls(MIXED);
    const heldSamples = held.stop();
    const runningSamples = running?.stop() ?? [];

    expect(concurrent).toEqual(serial);
    expect(Math.max(...heldSamples), 'budget accounting').toBeLessThanOrEqual(2);
    expect(threadsInUse()).toBe(0);
    if (CAN_PROBE_THREADS) {
      expect(p95(runningSamples), `running threads ${JSON.stringify(runningSamples.slice(0, 200))}`).toBeLessThanOrEqual(3);
      expect(Math.max(...runningSamples), 'the probe sees the kernel threads at work').toBeGreaterThanOrEqual(1);
    }
  });

  it('the budget accounting holds under a random storm of calls that fail, abort and succeed', async () => {
    setThreadBudget(3);
    let peak = 0;
    const tasks = Array.from({ length: 40 }, (_, i) =>
      withThreads(1 + (i % 3), async () => {
        peak = Math.max(peak, threadsInUse());
        await new Promise((r) => setTimeout(r, i % 5));
        if (i % 4 === 0) throw new Error('task failed');
        return i;
      }).catch(() => -1),
    );
    await Promise.all(tasks);
    expect(peak).toBeLessThanOrEqual(3);
    expect(threadsInUse()).toBe(0);
  });
});

// worker_threads (4 isolates loading the library through ts-node, ~8 s) run in the slow tier:
// test/stress/workers.test.ts. The fast tier's test/consumers.test.ts covers 4 workers on dist/.

// The process-wide native budget (native/thread_budget.hpp): the layer every worker_threads realm
// shares. Jobs are granted what is free, at least one thread.
describe('the process-wide native thread budget', () => {
  const { addon } = loadAddon();
  const hasNative = addon !== null;
  afterAll(() => addon?.setThreadBudget(0));

  it.runIf(hasNative)('a job granted fewer threads than it asked for gives the same bits, and never more run', async () => {
    const spec: CallSpec = { name: 'batch', seed: 21, threads: 2 };
    const full = await runCall(spec);
    addon!.setThreadBudget(1);
    addon!.resetThreadPeak();
    expect(await runCall(spec)).toEqual(full);
    expect(addon!.threadBudget()).toMatchObject({ limit: 1, inUse: 0, peak: 1 });
  });

  it.runIf(hasNative)('a job waiting for a free thread is cancellable and leaves the budget intact', async () => {
    addon!.setThreadBudget(1);
    const counts = Uint32Array.from([25, 25, 25, 25]);
    const holderToken = addon!.createCancelToken();
    const waiterToken = addon!.createCancelToken();
    const holder = addon!.buildNull({ counts, yCounts: new Uint32Array(0), keepSign: false, nPre: 20_000_000, nullKey: 1n, threads: 1 }, holderToken, null);
    const waiter = addon!.buildNull({ counts, yCounts: new Uint32Array(0), keepSign: false, nPre: 1000, nullKey: 2n, threads: 1 }, waiterToken, null);
    await new Promise((r) => setTimeout(r, 30));
    expect(addon!.threadBudget().inUse).toBe(1);
    const cancelledAt = performance.now();
    addon!.cancel(waiterToken);
    await expect(waiter).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    expect(performance.now() - cancelledAt).toBeLessThan(100);
    addon!.cancel(holderToken);
    await expect(holder).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    expect(addon!.threadBudget().inUse).toBe(0);
  });

  it.runIf(hasNative)('rejects a limit outside [0, 1024] with a coded error', () => {
    for (const bad of [-1, 1.5, 1025, Number.NaN]) {
      expect(() => addon!.setThreadBudget(bad)).toThrow(expect.objectContaining({ code: 'ERR_OUT_OF_RANGE' }));
    }
  });
});

describe('CPU pinning of kernel threads (native/thread_budget.hpp)', () => {
  const linux = process.platform === 'linux';
  const hasNative = loadAddon().addon !== null;
  type Report = { results: number[][]; threads: Array<{ name: string; cpus: string }>; processCpus: string; budget: { pinning: boolean } };
  const report = (env: NodeJS.ProcessEnv): Report =>
    JSON.parse(execFileSync(process.execPath, [join(__dirname, '..', 'helpers', 'affinity-run.cjs')], { encoding: 'utf8', env: { ...process.env, ...env } })) as Report;

  it.runIf(linux && hasNative)('gives job threads their CPUs back, pins only the addon\'s own workers, and never changes a result', () => {
    const pinned = report({});
    const unpinned = report({ SPEARSIM_PIN_THREADS: '0' });
    expect(pinned.results).toEqual(unpinned.results);
    expect(unpinned.budget.pinning).toBe(false);
    expect(unpinned.threads.every((t) => t.cpus === unpinned.processCpus)).toBe(true);
    const narrowed = pinned.threads.filter((t) => t.cpus !== pinned.processCpus);
    expect(narrowed.every((t) => t.name === 'spearsim-omp'), JSON.stringify(pinned.threads)).toBe(true);
    if (pinned.budget.pinning) expect(narrowed.length).toBeGreaterThanOrEqual(1);
  });
});
