// Stopping a worker_threads realm mid-call (fast tier): for every asynchronous native binding,
// worker.terminate() and process.exit() inside the worker while its job runs. The process running
// the stops (a child here) must survive each one, the worker must end promptly (its job cancelled)
// and the process-wide thread budget must be whole again. test/native-checks/stop-workers.js does
// the stops; the stress tier runs it for more rounds and under the sanitizers.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect, it } from 'vitest';
import { loadAddon } from '../../lib/internal/native';

const REPO = path.resolve(__dirname, '..', '..');
// the workers load the compiled library (dist/, from `npm run build:ts`): loading lib/ through
// ts-node in each of them would take most of a minute
const READY = loadAddon().addon !== null && fs.existsSync(path.join(REPO, 'dist', 'index.js'));

it.skipIf(!READY)('a worker stopped in every asynchronous binding leaves the process alive and the budget whole', () => {
  const r = spawnSync(process.execPath, [path.join(REPO, 'test', 'native-checks', 'stop-workers.js'), '--rounds', '1'], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 120000,
  });
  expect(r.stderr).not.toMatch(/terminate called|Aborted|FATAL/);
  expect(r.signal, r.stderr.slice(-2000)).toBeNull();
  expect(r.status, r.stderr.slice(-2000)).toBe(0);
  const summary = JSON.parse(r.stdout.trim()) as { stops: number; bindings: string[]; budgetAfter: { inUse: number } };
  expect(summary.bindings).toEqual(expect.arrayContaining(['bootstrapGenerated', 'bootstrapStored', 'buildNull', 'calibrate', 'powerEvaluate']));
  expect(summary.stops).toBe(summary.bindings.length * 2);
  expect(summary.budgetAfter.inUse).toBe(0);
}, 180000);
