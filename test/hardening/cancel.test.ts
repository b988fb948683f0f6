// Cancellation: an AbortSignal during calibration, a null build, a power bisection, a
// bootstrap and a grid run stops the call within 100 ms, releases its threads, and leaves no
// half-written file. Each case is sized to run for seconds, is aborted 50-150 ms after it starts,
// and must reject with ERR_ABORTED.
//
// Latency is measured from the moment the abort was *scheduled* (not when the timer callback ran),
// so an engine that blocks the event loop is caught too. Bound: 100 ms + 30 ms slack for timer and
// scheduling jitter on a shared 2-core machine.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  bootstrapBatch, bootstrapCI, calibrate, ciBootstrap, estimatePower, makeScenario, minDetectableRho, nullDistribution, runStudy, SpearsimError,
  spearmanTest,
} from '../../lib/index';
import { clearCalibrationCache } from '../../lib/calibration';
import { threadsInUse } from '../../lib/internal/threads';
import { clearPowerCache } from '../../lib/power';
import { clearNullCache } from '../../lib/pvalues';
import { Rng, rootKey } from '../../lib/rng';
import { cliProblems, runCli } from './cli-harness';
import { listFiles, partialFiles, tempDir } from './harness';

const LIMIT_MS = 100;
const SLACK_MS = 30;

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** Tied-x datasets of the study's shape (n = 73, counts 19/18/18/18). */
function datasets(reps: number, n = 73): { x: number[][]; y: number[][] } {
  const rng = new Rng(rootKey(7));
  const x: number[][] = [];
  const y: number[][] = [];
  for (let r = 0; r < reps; r++) {
    const xr = Array.from({ length: n }, (_, i) => Math.floor((4 * i) / n));
    rng.shuffle(xr);
    const yr = Array.from({ length: n }, (_, i) => i + 1);
    rng.shuffle(yr);
    x.push(xr);
    y.push(yr);
  }
  return { x, y };
}

const big = datasets(1, 3000);
const many = datasets(400);
const scenario = makeScenario({ case: 1, k: 4, shape: 'even' });
const quiet = { verbose: 0, threads: 2 } as const;

interface Stop {
  code: string | undefined;
  /** ms from the scheduled abort to the rejection. */
  latency: number;
  abortAt: number;
  progress: number;
}

/** Starts `start(signal)`, aborts after 50-150 ms, and measures how long the call takes to stop. */
async function abortDuring(start: (signal: AbortSignal, onProgress: () => void) => Promise<unknown>, abortAt = 50 + Math.floor(Math.random() * 100)): Promise<Stop> {
  clearCalibrationCache();
  clearNullCache();
  clearPowerCache();
  const controller = new AbortController();
  let progress = 0;
  const t0 = performance.now();
  const timer = setTimeout(() => controller.abort(), abortAt);
  let code: string | undefined;
  try {
    await start(controller.signal, () => progress++);
    code = 'resolved';
  } catch (e) {
    code = e instanceof SpearsimError ? e.code : `${(e as Error).name}: ${(e as Error).message}`;
  } finally {
    clearTimeout(timer);
  }
  return { code, latency: performance.now() - t0 - abortAt, abortAt, progress };
}

function expectPromptStop(stop: Stop): void {
  if (stop.code === 'resolved' && stop.latency > LIMIT_MS + SLACK_MS) {
    throw new Error(`ignored the abort at ${stop.abortAt} ms and finished ${stop.latency.toFixed(0)} ms later (event loop blocked or signal not checked)`);
  }
  expect(stop.code, 'the call must be aborted, not finish first (raise its size)').toBe('ERR_ABORTED');
  expect(stop.latency, `stopped ${stop.latency.toFixed(1)} ms after the abort at ${stop.abortAt} ms`).toBeLessThan(LIMIT_MS + SLACK_MS);
  expect(threadsInUse()).toBe(0);
}

describe('bootstrap', () => {
  it('native batch (all reps in one job)', async () => {
    expectPromptStop(await abortDuring((signal, onProgress) => bootstrapBatch(many.x, many.y, { ...quiet, nBoot: 20000, signal, onProgress })));
  });
  it('native per-rep path (batchBootstrap: false)', async () => {
    expectPromptStop(await abortDuring((signal) => bootstrapBatch(many.x, many.y, { ...quiet, nBoot: 20000, batchBootstrap: false, signal })));
  });
  it('native, one large dataset', async () => {
    expectPromptStop(await abortDuring((signal) => bootstrapCI(big.x[0]!, big.y[0]!, { ...quiet, nBoot: 1e6, signal })));
  });
  it('TypeScript fallback, many datasets', async () => {
    expectPromptStop(await abortDuring((signal) => bootstrapBatch(many.x, many.y, { ...quiet, native: false, nBoot: 5000, signal })));
  });
  it('TypeScript fallback, one large dataset (must yield within a rep)', async () => {
    expectPromptStop(await abortDuring((signal) => bootstrapCI(big.x[0]!, big.y[0]!, { ...quiet, native: false, nBoot: 1e5, signal })));
  });
  it('expected CI of a scenario (generated data, calibration + bootstrap)', async () => {
    expectPromptStop(await abortDuring((signal) => ciBootstrap(scenario, { ...quiet, nReps: 1e5, nBoot: 1000, signal })));
  });
  it('expected CI, TypeScript fallback', async () => {
    expectPromptStop(await abortDuring((signal) => ciBootstrap(scenario, { ...quiet, native: false, nReps: 1e4, nBoot: 1000, nCal: 30, signal })));
  });
});

describe('calibration', () => {
  it('native', async () => {
    expectPromptStop(await abortDuring((signal) => calibrate(scenario, 0.3, { ...quiet, nCal: 1e6, signal })));
  });
  it('TypeScript fallback', async () => {
    expectPromptStop(await abortDuring((signal) => calibrate(scenario, 0.3, { ...quiet, native: false, nCal: 1e5, signal })));
  });
});

describe('null build', () => {
  it('native', async () => {
    expectPromptStop(await abortDuring((signal) => nullDistribution(scenario, { ...quiet, nPre: 5e7, signal })));
  });
  it('TypeScript fallback', async () => {
    expectPromptStop(await abortDuring((signal) => nullDistribution(scenario, { ...quiet, native: false, nPre: 5e6, signal })));
  });
});

describe('power', () => {
  it('bisection (minDetectableRho), native', async () => {
    expectPromptStop(await abortDuring((signal) => minDetectableRho(scenario, { ...quiet, nSims: 200000, usePermutationPvalue: false, calibrationMode: 'off', signal })));
  });
  it('bisection with the permutation null and calibration, native', async () => {
    expectPromptStop(await abortDuring((signal) => minDetectableRho(scenario, { ...quiet, nSims: 100000, nPre: 50000, signal })));
  });
  it('bisection, TypeScript fallback', async () => {
    expectPromptStop(await abortDuring((signal) => minDetectableRho(scenario, { ...quiet, native: false, nSims: 20000, nCal: 30, usePermutationPvalue: false, signal })));
  });
  it('one estimate, native', async () => {
    expectPromptStop(await abortDuring((signal) => estimatePower(scenario, { ...quiet, rho: 0.3, nSims: 1e6, usePermutationPvalue: false, calibrationMode: 'off', signal })));
  });
});

describe('real-data test', () => {
  it('Monte Carlo permutations', async () => {
    expectPromptStop(await abortDuring((signal) => spearmanTest(big.x[0]!, big.y[0]!, { ...quiet, nPerm: 1e7, signal })));
  });
  it('exact enumeration (11 distinct values, nPre large)', async () => {
    const x = Array.from({ length: 11 }, (_, i) => i);
    const y = [3, 1, 4, 10, 5, 9, 2, 6, 8, 7, 0];
    expectPromptStop(await abortDuring((signal) => spearmanTest(x, y, { ...quiet, nPre: 1e8, signal })));
  });
});

describe('grid run', () => {
  it('runStudy stops promptly, keeps finished units, leaves no partial file', async () => {
    const outputDir = tempDir('cancel-study');
    dirs.push(outputDir);
    const stop = await abortDuring(
      (signal) => runStudy({ ...quiet, cases: [1], kValues: [4, 5], shapes: ['even'], nSims: 100000, nReps: 2000, nBoot: 1000, outputDir, signal }),
      150,
    );
    expectPromptStop(stop);
    expect(partialFiles(outputDir, [])).toEqual([]);
    // whatever is on disk parses (no truncated JSON)
    for (const f of listFiles(outputDir).filter((name) => name.endsWith('.json'))) {
      expect(() => JSON.parse(fs.readFileSync(path.join(outputDir, f), 'utf8')), f).not.toThrow();
    }
  });

  it('spearsim run: Ctrl-C exits 130 with no partial file', async () => {
    const outputDir = tempDir('cancel-cli');
    dirs.push(outputDir);
    const argv = ['run', '--cases', '1', '--k-values', '4,5', '--shapes', 'even', '--n-sims', '100000', '--n-reps', '2000', '--n-boot', '1000', '--verbose', '0', '--threads', '2', '--output-dir', outputDir, '--json'];
    const run = await runCli(argv, 300, LIMIT_MS + SLACK_MS + 200);
    expect(run.code).toBe(130);
    expect(cliProblems(run, true, outputDir)).toEqual([]);
    expect(run.ms - run.interruptedAt!, 'stop after SIGINT').toBeLessThan(LIMIT_MS + SLACK_MS + 200);
  });
});

describe('callbacks', () => {
  it('a throwing onProgress rejects with the caller\'s error on both engines and frees the threads', async () => {
    class Mine extends Error {}
    for (const native of [true, false]) {
      const err = await bootstrapBatch(many.x.slice(0, 50), many.y.slice(0, 50), {
        ...quiet, native, nBoot: 5000, onProgress: () => { throw new Mine('from the callback'); },
      }).then(() => null, (e: unknown) => e);
      expect(err, `native ${native}`).toBeInstanceOf(Mine);
      expect(threadsInUse()).toBe(0);
    }
  });
});
