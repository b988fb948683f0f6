// Stopping worker_threads mid-call (slow tier): test/native-checks/stop-workers.js for 10 rounds,
// i.e. every asynchronous native binding stopped 20 times (terminate and process.exit() inside the
// worker, with and without a progress callback, at 0-40 ms into the job). The sanitizer and
// valgrind runs (sanitizers.test.ts) do a round of the same stops under ASan/UBSan and memcheck.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { expect, it } from 'vitest';
import { loadAddon } from '../../lib/internal/native';

const REPO = path.resolve(__dirname, '..', '..');

it.skipIf(loadAddon().addon === null)('10 rounds of stopped workers: the process survives, every stop is prompt, the budget is whole', () => {
  const r = spawnSync(process.execPath, [path.join(REPO, 'test', 'native-checks', 'stop-workers.js'), '--rounds', '10', '--lib', path.join(REPO, 'dist')], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 20 * 60 * 1000,
  });
  expect(r.stderr).not.toMatch(/terminate called|Aborted|FATAL/);
  expect(r.signal, r.stderr.slice(-2000)).toBeNull();
  expect(r.status, r.stderr.slice(-2000)).toBe(0);
  const summary = JSON.parse(r.stdout.trim()) as { stops: number; bindings: string[]; slowestStopMs: number; budgetAfter: { inUse: number } };
  console.log(`stop-workers: ${summary.stops} stops over ${summary.bindings.join(', ')}; slowest ${summary.slowestStopMs} ms`); // eslint-disable-line no-console
  expect(summary.stops).toBe(summary.bindings.length * 20);
  expect(summary.budgetAfter.inUse).toBe(0);
});
