// Calibration (docs/methods.md, "Calibration" and "Departures from the reference"): native = TypeScript bit for bit, thread
// invariance, the reference curves, sign symmetry, unreachable probes, target mapping, and the
// memory and disk caches.
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, test } from 'vitest';

import {
  type CalibrationCurve, calibrate, calibrationCacheKey, calibrationCurve, calibrationIdentity, clearCalibrationCache, expectedSpearman,
  mapTarget,
} from '../lib/calibration';
import { type GeneratorName, resolveConfig } from '../lib/config';
import { type EmpiricalPoolSpec, generateDatasets, generatorSetup } from '../lib/generators';
import { hasNative } from './helpers/native';
import { spearmanOf } from '../lib/ranks';
import { generatorEntry, generatorNames } from '../lib/kernels/generators/table';
import { makeScenario } from '../lib/scenario';
import { identityKey } from '../lib/streams';

const quiet = { verbose: 0 };
const case1k4 = makeScenario({ case: 1, k: 4, shape: 'even' });
const case3k4 = makeScenario({ case: 3, k: 4, shape: 'heavy_center' });
const case3distinct = makeScenario({ case: 3, allDistinct: true });
const pool: EmpiricalPoolSpec = { fixed: Array.from({ length: 60 }, (_, i) => 5 + (i % 30)), fillCount: 13 };
const dirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'spearsim-cal-'));
  dirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

beforeEach(() => clearCalibrationCache());

function curveOf(generator: GeneratorName, config: Record<string, unknown>, scenario = case3k4) {
  const setup = generatorSetup(scenario, generator, { vectorize: true, pool: generatorEntry(generator).needsPool ? pool : undefined });
  return calibrationCurve(setup, 'multipoint', resolveConfig({ ...quiet, ...config }));
}

describe.skipIf(!hasNative)('engines and threads agree exactly', () => {
  test.each(generatorNames())('%s', async (generator) => {
    const native = await curveOf(generator, { nCal: 200, native: 'require', threads: 2 });
    clearCalibrationCache();
    const oneThread = await curveOf(generator, { nCal: 200, native: 'require', threads: 1 });
    clearCalibrationCache();
    const ts = await curveOf(generator, { nCal: 200, native: false });
    expect(native.source).toBe('computed');
    const reaches = generatorEntry(generator).respondsToRho;
    if (reaches) expect(native.rhoIn.every((r) => r !== null && r > 0.05)).toBe(true);
    expect(oneThread.rhoIn).toEqual(native.rhoIn);
    expect(ts.rhoIn).toEqual(native.rhoIn);
    expect(ts.achieved).toEqual(native.achieved);
    expect(ts.evaluations).toBe(native.evaluations);
    // each probe is met within the bisection's resolution plus the F step between neighbours
    if (reaches) native.achieved.forEach((f, i) => expect(Math.abs(f! - native.probes[i]!)).toBeLessThan(0.002));
  });
});

describe('calibration evaluates exactly the generating process (docs/methods.md, "Departures from the reference")', () => {
  test.each(generatorNames())('%s: F(rho) = mean Spearman of the generated datasets, bit for bit', async (generator) => {
    const nCal = 150;
    for (const vectorize of [true, false]) {
      const options = { ...quiet, generator, nCal, vectorize, pool: generatorEntry(generator).needsPool ? pool : undefined };
      const setup = generatorSetup(case3k4, generator, options);
      const calKey = identityKey(99, calibrationIdentity(setup, nCal));
      for (const rho of [0.05, 0.3, 0.8]) {
        const [f] = await expectedSpearman(case3k4, [rho], options);
        const data = generateDatasets(setup, { rho, values: generatorEntry(generator).needsValues || !vectorize, baseKey: calKey, count: nCal }, quiet);
        let sum = 0;
        for (let i = 0; i < nCal; i++) {
          sum += spearmanOf(data.x.subarray(i * 73, (i + 1) * 73), data.y.subarray(i * 73, (i + 1) * 73)); // = the addon's, bit for bit
        }
        expect(f).toBe(sum / nCal);
      }
    }
  });
});

describe('statistics', () => {
  // Reference curves of docs/methods.md, "Calibration" (n_cal = 20 000, upstream RNG): an independent implementation
  // agrees within about +-0.003; 0.004 leaves room for the calibration noise (~0.0008 SE).
  test('reference curves, n=80 k=4 even, n_cal = 20 000', async () => {
    const reference: Record<string, number[]> = {
      nonparametric: [0.1125, 0.2176, 0.3234, 0.4269, 0.5259],
      copula: [0.1153, 0.2292, 0.3398, 0.4459, 0.5469],
      linear: [0.0979, 0.1953, 0.2918, 0.3873, 0.4819],
    };
    for (const [generator, expected] of Object.entries(reference)) {
      const curve = await curveOf(generator as GeneratorName, { nCal: 20000 }, case1k4);
      curve.rhoIn.forEach((r, i) => expect(Math.abs(r! - expected[i]!)).toBeLessThan(0.004));
    }
  });

  test('uncalibrated attenuation: nonparametric ~0.276 at input 0.3 on every structure, copula attenuates with ties, linear overshoots', async () => {
    const structures = [case1k4, case3k4, case3distinct, makeScenario({ case: 2, k: 10, shape: 'even' })];
    const at = async (generator: GeneratorName, s = case1k4) => (await expectedSpearman(s, [0.3], { ...quiet, generator, nCal: 20000 }))[0]!;
    for (const s of structures) {
      // tolerance 0.004: 5 SE of the mean over 20 000 datasets (SE ~0.0008)
      expect(Math.abs((await at('nonparametric', s)) - 0.276)).toBeLessThan(0.004);
      const linear = await at('linear', s);
      expect(linear).toBeGreaterThan(0.303);
      expect(linear).toBeLessThan(0.315);
    }
    const copulaDistinct = await at('copula', case3distinct);
    expect(Math.abs(copulaDistinct - 0.3)).toBeLessThan(0.004);
    // k = 4 ties attenuate the copula by 0.01-0.06 (docs/methods.md, "Generators")
    for (const s of [case1k4, case3k4]) {
      const drop = copulaDistinct - (await at('copula', s));
      expect(drop).toBeGreaterThan(0.01);
      expect(drop).toBeLessThan(0.06);
    }
  });

  test('unreachable probes on an extreme structure and the fallbacks', async () => {
    // one item at the top x value: Spearman cannot exceed sqrt(1580 / 42660) = 0.192 (n = 80)
    const lopsided = makeScenario({ n: 80, counts: [79, 1], yMedian: 10, yIqr: 5 });
    const result = await calibrate(lopsided, 0.05, { ...quiet, nCal: 300 });
    const curve = result.curve!;
    expect(curve.rhoIn[0]).not.toBeNull();
    expect(curve.rhoIn.slice(1)).toEqual([null, null, null, null]);
    expect(result.rhoIn).toBeCloseTo((0.05 * curve.rhoIn[0]!) / 0.1, 15);
    // no reachable probe at all (max ~ sqrt(3/n) = 0.087 < 0.1): the target itself
    const hopeless = makeScenario({ n: 400, counts: [399, 1], yMedian: 10, yIqr: 5 });
    const none = await calibrate(hopeless, -0.3, { ...quiet, nCal: 50 });
    expect(none.curve!.rhoIn.every((r) => r === null)).toBe(true);
    expect(none.rhoIn).toBe(-0.3);
    const single = await calibrate(hopeless, 0.3, { ...quiet, nCal: 50, calibrationMode: 'single' });
    expect(single.rhoIn).toBe(0.3); // ratio 1
  });
});

describe('mapping a target', () => {
  const curve = (mode: 'multipoint' | 'single', probes: number[], rhoIn: Array<number | null>): CalibrationCurve => ({
    mode, nCal: 300, probes, rhoIn, achieved: rhoIn, evaluations: 0, source: 'computed',
  });
  const multi = curve('multipoint', [0.1, 0.2, 0.3, 0.4, 0.5], [0.12, 0.22, 0.33, 0.43, 0.53]);

  test('interpolation, extrapolation, one probe, none, clipping', () => {
    expect(mapTarget(multi, 0.25)).toBeCloseTo(0.275, 15);
    expect(mapTarget(multi, 0.05)).toBeCloseTo(0.07, 15); // first segment extended
    expect(mapTarget(multi, 0.6)).toBeCloseTo(0.63, 15); // last segment extended
    expect(mapTarget(multi, 0.999)).toBe(0.999);
    expect(mapTarget(curve('multipoint', [0.1, 0.2, 0.3, 0.4, 0.5], [0.12, null, null, 0.43, null]), 0.25)).toBeCloseTo(0.12 + (0.15 * 0.31) / 0.3, 15);
    expect(mapTarget(curve('multipoint', [0.1, 0.2], [0.15, null]), 0.3)).toBeCloseTo(0.45, 15);
    expect(mapTarget(curve('multipoint', [0.1, 0.2], [null, null]), 0.3)).toBe(0.3);
    expect(mapTarget(curve('single', [0.3], [0.33]), 0.2)).toBeCloseTo(0.22, 15);
    expect(mapTarget(curve('single', [0.3], [null]), 0.2)).toBe(0.2);
  });

  test('cal(-t) = -cal(t) (exactly), zero maps to 0, off returns the target', async () => {
    const built = await curveOf('copula', { nCal: 100 });
    for (const c of [multi, built, curve('single', [0.3], [0.33])]) {
      for (let t = 0; t <= 0.95; t += 0.0125) expect(mapTarget(c, -t) + mapTarget(c, t)).toBe(0);
      expect(mapTarget(c, 1e-13)).toBe(0);
    }
    const off = await calibrate(case3k4, -0.13, { ...quiet, calibrationMode: 'off' });
    expect(off).toMatchObject({ rhoIn: -0.13, curve: null });
    const zero = await calibrate(case3k4, 0, quiet);
    expect(zero).toMatchObject({ rhoIn: 0, curve: null });
    const neg = await calibrate(case3k4, -0.13, { ...quiet, nCal: 100 });
    const pos = await calibrate(case3k4, 0.13, { ...quiet, nCal: 100 });
    expect(neg.rhoIn).toBe(-pos.rhoIn);
  });
});

describe('keys and caches', () => {
  test('the calibration seed depends on the tie structure and generator (docs/methods.md, "Departures from the reference")', () => {
    const key = (s = case3k4, g: GeneratorName = 'nonparametric', nCal = 300) =>
      identityKey(99, calibrationIdentity(generatorSetup(s, g, { vectorize: true }), nCal));
    expect(key()).toBe(key());
    expect(key(case1k4)).not.toBe(key());
    expect(key(case3k4, 'copula')).not.toBe(key());
    expect(key(case3k4, 'nonparametric', 1000)).not.toBe(key());
    // the same tie structure reached as a custom list gets the same calibration
    expect(key(makeScenario({ case: 3, counts: case3k4.counts }))).toBe(key());
    const full = calibrationCacheKey(generatorSetup(case3k4, 'linear', { vectorize: true }), 300, 'multipoint');
    expect(full).toMatchObject({ generator: 'linear', n: 73, counts: case3k4.counts, allDistinct: false, nCal: 300, probes: [0.1, 0.2, 0.3, 0.4, 0.5], seed: 99 });
    expect(full.algo).toBeTypeOf('number');
  });

  test('memory cache; disk round trip; corrupt and foreign files are rejected with a warning and rebuilt', async () => {
    const dir = tempDir();
    const config = { nCal: 120, cacheDir: dir, saveCache: true, verbose: 1 };
    const warnings: string[] = [];
    const onWarning = (w: Error): void => {
      warnings.push(w.message);
    };
    process.on('warning', onWarning);
    try {
      const built = await curveOf('nonparametric', config);
      expect(built.source).toBe('computed');
      expect((await curveOf('nonparametric', config)).source).toBe('memory');
      const files = readdirSync(dir);
      expect(files).toHaveLength(1);
      clearCalibrationCache();
      const fromDisk = await curveOf('nonparametric', config);
      expect(fromDisk).toMatchObject({ source: 'disk', rhoIn: built.rhoIn, achieved: built.achieved });

      const file = join(dir, files[0]!);
      writeFileSync(file, readFileSync(file, 'utf8').slice(0, 40)); // truncated
      clearCalibrationCache();
      const rebuilt = await curveOf('nonparametric', config);
      expect(rebuilt).toMatchObject({ source: 'computed', rhoIn: built.rhoIn });
      expect(warnings.some((w) => /corrupt/.test(w))).toBe(true);
      clearCalibrationCache();
      expect((await curveOf('nonparametric', config)).source).toBe('disk'); // rewritten

      // a foreign entry under this entry's name (another structure's file)
      await curveOf('nonparametric', config, case1k4);
      const other = readdirSync(dir).find((f) => f !== files[0])!;
      copyFileSync(join(dir, other), file);
      clearCalibrationCache();
      warnings.length = 0;
      expect((await curveOf('nonparametric', config)).rhoIn).toEqual(built.rhoIn);
      expect(warnings.some((w) => /key does not match/.test(w))).toBe(true);
    } finally {
      process.off('warning', onWarning);
    }
  });

  test('without saveCache nothing is written; an unwritable cacheDir warns and goes on', async () => {
    const dir = tempDir();
    await curveOf('linear', { nCal: 60, cacheDir: dir });
    expect(readdirSync(dir)).toHaveLength(0);
    clearCalibrationCache();
    const blocker = join(dir, 'not-a-dir');
    writeFileSync(blocker, 'x');
    const warnings: string[] = [];
    const onWarning = (w: Error): void => {
      warnings.push(w.message);
    };
    process.on('warning', onWarning);
    try {
      const curve = await curveOf('linear', { nCal: 60, cacheDir: join(blocker, 'sub'), saveCache: true, verbose: 1 });
      expect(curve.source).toBe('computed');
      await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
      expect(warnings.some((w) => /could not write cache file/.test(w))).toBe(true);
    } finally {
      process.off('warning', onWarning);
    }
  });
});

describe('controls and limits', () => {
  test('abort rejects with ERR_ABORTED on both engines; nothing is cached', async () => {
    for (const native of [true, false]) {
      const controller = new AbortController();
      controller.abort();
      await expect(calibrate(case3k4, 0.3, { ...quiet, native, nCal: 5000, signal: controller.signal })).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    }
    const controller = new AbortController();
    const pending = calibrate(case3k4, 0.3, { ...quiet, native: false, nCal: 3000, signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    expect((await calibrate(case3k4, 0.3, { ...quiet, nCal: 3000 })).curve!.source).toBe('computed');
  });

  test('memory cap: fails up front naming the limit', async () => {
    await expect(calibrate(case3k4, 0.3, { ...quiet, nCal: 1000000, memoryLimit: 64_000_000 })).rejects.toMatchObject({
      code: 'ERR_MEMORY_LIMIT',
      message: expect.stringMatching(/memoryLimit 64000000 bytes cannot hold 1000000 calibration datasets/),
    });
  });

  test('target validation', async () => {
    await expect(calibrate(case3k4, 1.5, quiet)).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE', option: 'rho' });
    await expect(expectedSpearman(case3k4, [2], quiet)).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE' });
  });
});
