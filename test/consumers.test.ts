// The package as its users load it: CommonJS, ES modules, a ts-node script, and worker_threads.
// These run the built package (dist/, produced by `npm ci` / `npm run build:ts`).
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..');
const run = (cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): string =>
  execFileSync(cmd, args, { cwd: root, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60000 });

describe('consumers', () => {
  type Output = { rho: number; pValue: number; permutation: string; ciLower: number; ciUpper: number; bcaLower: number; bcaUpper: number; version: string };
  const outputs: Record<string, Output> = {};
  it('CommonJS require', () => {
    outputs.cjs = JSON.parse(run(process.execPath, ['examples/commonjs.cjs'])) as Output;
    expect(outputs.cjs.rho).toBeGreaterThan(0.5);
    expect(outputs.cjs.ciLower).toBeLessThan(outputs.cjs.ciUpper);
    // the real-data API: permutation p-value from the precomputed null of x's tie structure, BCa CI
    expect(outputs.cjs.permutation).toBe('precomputed-null');
    expect(outputs.cjs.pValue).toBeGreaterThan(0);
    expect(outputs.cjs.pValue).toBeLessThan(0.05);
    expect(outputs.cjs.bcaLower).toBeLessThan(outputs.cjs.bcaUpper);
    expect(outputs.cjs.bcaLower).not.toBe(outputs.cjs.ciLower);
  });
  it('ES module import gives the same result', () => {
    outputs.esm = JSON.parse(run(process.execPath, ['examples/esm.mjs']));
    expect(outputs.esm).toEqual(outputs.cjs);
  });
  it('ts-node script gives the same result', () => {
    const tsNode = path.join(root, 'node_modules', '.bin', 'ts-node');
    outputs.ts = JSON.parse(run(tsNode, ['--project', 'examples/tsconfig.json', 'examples/quick-start.ts']));
    expect(outputs.ts).toEqual(outputs.cjs);
  });
  it('the TypeScript fallback (SPEARSIM_NATIVE=0) gives the same bits', () => {
    expect(JSON.parse(run(process.execPath, ['examples/commonjs.cjs'], { SPEARSIM_NATIVE: '0' }))).toEqual(outputs.cjs);
  });
});

it('4 worker_threads at once give the same bits as serial calls, within one process-wide thread budget', () => {
  const { serial, parallel, budget } = JSON.parse(run(process.execPath, ['test/helpers/worker-run.cjs'])) as {
    serial: number[][];
    parallel: number[][];
    budget: { limit: number; inUse: number; peak: number } | null;
  };
  expect(parallel).toEqual(serial);
  expect(new Set(serial.map((s) => s.join())).size).toBe(4);
  if (budget) {
    // 4 realms x 2 threads asked for; the budget is the machine's processors (at least the 2 asked)
    expect(budget.limit).toBe(Math.max(availableParallelism(), 2));
    expect(budget.peak).toBeGreaterThanOrEqual(1);
    expect(budget.peak).toBeLessThanOrEqual(budget.limit);
    expect(budget.inUse).toBe(0);
  }
});
