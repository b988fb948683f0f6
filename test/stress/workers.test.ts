// worker_threads (slow tier): 4 workers, each its own JS isolate loading the library (via
// ts-node), run a mix of native calls concurrently and must give the same bits as serial calls in
// this thread, and the kernel threads of all of them together stay within the process-wide native
// budget (native/thread_budget.hpp). Also reports how many threads were running at once.
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { expect, it } from 'vitest';
import { clearCalibrationCache } from '../../lib/calibration';
import { loadAddon } from '../../lib/internal/native';
import { clearPowerCache } from '../../lib/power';
import { clearNullCache } from '../../lib/pvalues';
import { type CallSpec, runCall } from '../hardening/helpers/calls';
import { CAN_PROBE_THREADS, kthLargest, runningThreads, sampler } from '../hardening/threads-probe';

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

it('4 workers give the same bits as serial calls', async () => {
  const perWorker = [[MIXED[0]!, MIXED[3]!], [MIXED[1]!, MIXED[4]!], [MIXED[2]!, MIXED[5]!], [MIXED[6]!, MIXED[7]!]];
  clearCalibrationCache();
  clearNullCache();
  clearPowerCache();
  const serial: number[][][] = [];
  for (const calls of perWorker) {
    const out: number[][] = [];
    for (const c of calls) out.push(await runCall(c));
    serial.push(out);
  }
  // workers load the library first, then all start on "go" so the sampling covers the computation only
  const workers = perWorker.map((calls) => new Worker(path.join(__dirname, '..', 'hardening', 'helpers', 'worker.cjs'), { workerData: { calls, waitForGo: true } }));
  await Promise.all(workers.map((w) => new Promise<void>((resolve, reject) => {
    w.once('message', (m: { ready?: boolean }) => (m.ready ? resolve() : reject(new Error('worker did not get ready'))));
    w.once('error', reject);
  })));
  const { addon } = loadAddon();
  addon?.resetThreadPeak();
  const running = CAN_PROBE_THREADS ? sampler(runningThreads, 2) : null;
  const results = await Promise.all(
    workers.map((w) => new Promise<number[][]>((resolve, reject) => {
      w.once('message', (m: { results?: number[][]; error?: string }) => (m.error ? reject(new Error(m.error)) : resolve(m.results!)));
      w.once('error', reject);
      w.postMessage('go');
    })),
  );
  const samples = running?.stop() ?? [];
  await Promise.all(workers.map((w) => w.terminate()));
  expect(results).toEqual(serial);
  if (addon) {
    const budget = addon.threadBudget();
    expect(budget.peak, 'kernel threads granted at once across the 4 realms').toBeLessThanOrEqual(budget.limit);
    expect(budget.inUse).toBe(0);
    console.log(`worker_threads: kernel threads granted at once: peak ${budget.peak}, budget ${budget.limit} (4 realms asking for 2 each)`); // eslint-disable-line no-console
  }
  if (CAN_PROBE_THREADS) {
    const p95 = kthLargest(samples, Math.max(1, Math.ceil(samples.length * 0.05)));
    // reported, not asserted: the addon's threads of all four realms together (the budget is 2)
    console.log(`worker_threads: kernel threads running at once: p95 ${p95}, max ${Math.max(0, ...samples)} (job threads and their OpenMP workers)`); // eslint-disable-line no-console
  }
}, 300000);
