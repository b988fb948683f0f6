// Expected bootstrap CI of a scenario (docs/methods.md, "Bootstrap confidence intervals" and "Departures from the reference"): JSON-ready results,
// bit identity across paths, engines, threads and chunk sizes, data independent of nBoot,
// controls (progress, abort, memory cap) and the statistics of the averaged interval.
import { describe, expect, test } from 'vitest';

import { clearCalibrationCache } from '../lib/calibration';
import { type CiResult, ciBootstrap } from '../lib/ci';
import { generatorTable } from '../lib/kernels/generators/table';
import { makeScenario } from '../lib/scenario';
import { VERSION } from '../lib/version';
import { hasNative } from './helpers/native';

const quiet = { verbose: 0 };
const case3 = makeScenario({ case: 3, k: 4, shape: 'even' });
const small = { ...quiet, nReps: 12, nBoot: 300, nCal: 100 };

/** The numbers of a result (everything but timings, provenance and the calibration source). */
function numbers(r: CiResult): number[] {
  return [r.ciLower, r.ciUpper, r.ciLowerSd, r.ciUpperSd, r.meanRhoHat, r.rhoIn, r.dropped];
}

describe('result', () => {
  test('JSON-ready fields and provenance; the default target is the observed rho', async () => {
    const r = await ciBootstrap({ case: 3, k: 4, shape: 'even' }, { ...small, seed: 7 });
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    expect(r).toMatchObject({ nReps: 12, nBoot: 300, alpha: 0.05, rho: -0.13, generator: 'nonparametric', calibrationMode: 'multipoint', nCal: 100, dropped: 0 });
    expect(r.scenario).toBe(case3.description);
    expect(r.ciLower).toBeLessThan(r.meanRhoHat);
    expect(r.ciUpper).toBeGreaterThan(r.meanRhoHat);
    expect(r.rhoIn).toBeLessThan(-0.13); // nonparametric needs |rho_in| > |target|
    expect(r.provenance).toMatchObject({ seed: 7, version: VERSION, engine: hasNative ? 'native' : 'typescript' });
    expect(r.provenance.config).toMatchObject({ nReps: 12, nBoot: 300, generator: 'nonparametric' });
    expect(Object.keys(r.timings).sort()).toEqual(['bootstrap', 'calibration']);
  });

  test('own study: rho is required without an observed rho', async () => {
    const own = makeScenario({ n: 40, counts: [10, 10, 20], yMedian: 3, yIqr: 1 });
    await expect(ciBootstrap(own, small)).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE', option: 'rho' });
    const r = await ciBootstrap(own, { ...small, rho: 0.4 });
    expect(r.rho).toBe(0.4);
    await expect(ciBootstrap(own, { ...small, rho: 1.2 })).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE' });
    await expect(ciBootstrap(own, { ...small, rho: 0.4, nBot: 3 } as never)).rejects.toMatchObject({ code: 'ERR_UNKNOWN_OPTION' });
  });
});

describe('reproducibility (docs/methods.md, "Departures from the reference")', () => {
  test('batch = per-rep = TypeScript, for any thread count and chunk size, bit for bit', async () => {
    for (const generator of generatorTable().filter((e) => !e.needsPool).map((e) => e.name)) {
      const base = await ciBootstrap(case3, { ...small, generator });
      const variants = await Promise.all([
        ciBootstrap(case3, { ...small, generator, batchBootstrap: false }),
        ciBootstrap(case3, { ...small, generator, threads: 1, chunkResamples: 7 }),
        ciBootstrap(case3, { ...small, generator, native: false }),
        ciBootstrap(case3, { ...small, generator, native: false, chunkResamples: 3 }),
      ]);
      for (const v of variants) expect(numbers(v)).toEqual(numbers(base));
      expect(variants[2]!.provenance.engine).toBe('typescript');
    }
  });

  test('the per-dataset form (vectorize off: values, row moments) agrees across engines', async () => {
    const native = await ciBootstrap(case3, { ...small, vectorize: false });
    const ts = await ciBootstrap(case3, { ...small, vectorize: false, native: false });
    expect(numbers(ts)).toEqual(numbers(native));
  });

  test('datasets do not depend on nBoot; seeds and generators give other datasets', async () => {
    const a = await ciBootstrap(case3, { ...small, nBoot: 100 });
    const b = await ciBootstrap(case3, { ...small, nBoot: 400 });
    expect(b.meanRhoHat).toBe(a.meanRhoHat);
    expect(b.ciLower).not.toBe(a.ciLower);
    expect((await ciBootstrap(case3, { ...small, seed: 43 })).meanRhoHat).not.toBe(a.meanRhoHat);
    // the calibration is built once per structure and reused
    const again = await ciBootstrap(case3, { ...small, nBoot: 200 });
    expect(again.calibration!.source).toBe('memory');
  });
});

describe('generators', () => {
  test('empirical with a pool (values); without a pool: warning and nonparametric', async () => {
    const pool = { fixed: Array.from({ length: 70 }, (_, i) => 8 + (i % 20)), fillCount: 3 };
    const r = await ciBootstrap(case3, { ...small, generator: 'empirical', pool });
    expect(r.generator).toBe('empirical');
    const ts = await ciBootstrap(case3, { ...small, generator: 'empirical', pool, native: false });
    expect(numbers(ts)).toEqual(numbers(r));
    const warnings: string[] = [];
    const onWarning = (w: Error): void => {
      warnings.push(w.message);
    };
    process.on('warning', onWarning);
    try {
      const fallback = await ciBootstrap(case3, { ...small, generator: 'empirical', verbose: 1 });
      await new Promise((resolve) => setImmediate(resolve));
      expect(fallback.generator).toBe('nonparametric');
      expect(numbers(fallback)).toEqual(numbers(await ciBootstrap(case3, small)));
      expect(warnings.some((w) => /needs a pool/.test(w))).toBe(true);
    } finally {
      process.off('warning', onWarning);
    }
  });
});

describe('controls', () => {
  test('progress reaches nReps x nBoot; abort rejects with ERR_ABORTED on both engines', async () => {
    for (const native of [true, false]) {
      const seen: Array<[number, number]> = [];
      await ciBootstrap(case3, { ...small, native, onProgress: (d, t) => seen.push([d, t]) });
      expect(seen.at(-1)).toEqual([12 * 300, 12 * 300]);
      const controller = new AbortController();
      const pending = ciBootstrap(case3, { ...quiet, native, nReps: 100000, nBoot: 1000, nCal: 100, signal: controller.signal });
      setTimeout(() => controller.abort(), 50);
      await expect(pending).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    }
  });

  test('memory cap: fails up front naming the limit and the need', async () => {
    await expect(ciBootstrap(case3, { ...quiet, nCal: 100, nReps: 1000000, memoryLimit: 1_048_576 })).rejects.toMatchObject({
      code: 'ERR_MEMORY_LIMIT',
      message: expect.stringMatching(/memoryLimit 1048576 bytes cannot hold one bootstrap chunk: \d+ bytes are needed/),
    });
  });
});

describe('statistics', () => {
  test('calibrated CIs are centred on the target (mean rho-hat within 3 SE) for each generator', async () => {
    clearCalibrationCache();
    for (const generator of generatorTable().filter((e) => !e.needsPool && e.respondsToRho).map((e) => e.name)) {
      // SE: inter-rep SD of rho-hat (~0.11) over 400 reps, plus the calibration's ~0.107/sqrt(nCal)
      const r = await ciBootstrap(case3, { ...quiet, generator, nReps: 400, nBoot: 200, nCal: 3000, rho: 0.3 });
      const se = Math.sqrt(0.115 ** 2 / 400 + 0.107 ** 2 / 3000);
      expect(Math.abs(r.meanRhoHat - 0.3)).toBeLessThan(3 * se);
      // percentile intervals bracket the target and have the expected width (~4 x 0.1)
      expect(r.ciLower).toBeLessThan(0.3);
      expect(r.ciUpper).toBeGreaterThan(0.3);
      expect(r.ciUpper - r.ciLower).toBeGreaterThan(0.3);
      expect(r.ciUpper - r.ciLower).toBeLessThan(0.5);
      expect(r.ciLowerSd).toBeGreaterThan(0.05);
      expect(r.ciLowerSd).toBeLessThan(0.15);
    }
  });
});
