// Monte Carlo power and the minimum detectable rho (docs/methods.md, "P-values and power" and "Departures from the reference"):
//   - native and the TypeScript fallback agree bit for bit (per-sim rho-hat and p) on every
//     p-value path (null, Monte Carlo permutations, t approximation) and generator;
//   - results do not depend on thread count, chunking (memory limit) or the kept-set cache;
//   - at rho = 0 the rejection rate is within 3 SE of alpha for tied structures (permutation
//     p-values); the t approximation: see the test for when it exceeds alpha;
//   - power is monotone in |rho|; common random numbers make the bisection deterministic;
//   - the boundary warning is structured data and printed according to verbose;
//   - abort, progress, memory errors up front, provenance.
import { beforeAll, describe, expect, test } from 'vitest';

import { addonFor } from '../lib/internal/native';
import { ENGINES, hasNative } from './helpers/native';
import type { EmpiricalPoolSpec } from '../lib/generators';
import { SEARCH_BOUNDS, clearPowerCache, estimatePower, minDetectableRho, powerCurve, searchDirections } from '../lib/power';
import { clearNullCache, countAtLeast, nullDistribution } from '../lib/pvalues';
import { tQuantile } from '../lib/noncentral-t';
import { makeScenario } from '../lib/scenario';

const QUIET = { verbose: 0 };
const heavy80 = makeScenario({ case: 1, k: 4, shape: 'heavy_center' });
const even73 = makeScenario({ case: 3, k: 4, shape: 'even' });
const tail82 = makeScenario({ case: 2, k: 7, shape: 'heavy_tail' });

function pool(n: number): EmpiricalPoolSpec {
  const fixed = Array.from({ length: Math.floor(n * 0.6) }, (_, i) => 5 + (i % 17) * 1.5);
  return { fixed, fillCount: n - fixed.length - 3, extraFixed: [1, 60], logUniformCount: 1, logUniformRange: [2, 40] };
}

function sameBits(a: Float64Array, b: Float64Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

beforeAll(() => {
  clearPowerCache();
  clearNullCache();
});

describe('engines agree bit for bit', () => {
  const cases: Array<[string, Parameters<typeof estimatePower>[1]]> = [
    ['nonparametric, precomputed null', { rho: 0.3, generator: 'nonparametric' }],
    ['copula, Monte Carlo permutations (null not cached)', { rho: -0.25, generator: 'copula', pvalueMcOnCacheMiss: true, nPerm: 300, nPre: 777 }],
    ['linear, t approximation', { rho: 0.2, generator: 'linear', usePermutationPvalue: false }],
    ['empirical pool, null', { rho: 0.3, generator: 'empirical', pool: pool(82) }],
    ['empirical pool, Monte Carlo', { rho: 0.3, generator: 'empirical', pool: pool(82), empiricalUsePrecomputedNull: false, nPerm: 200 }],
    ['nonparametric per-dataset variant (vectorize off)', { rho: 0.35, generator: 'nonparametric', vectorize: false }],
  ];
  for (const [name, opts] of cases) {
    test.skipIf(!hasNative)(name, async () => {
      const s = opts.generator === 'empirical' ? tail82 : heavy80;
      const base = { ...opts, nSims: 600, keepPerSim: true, ...QUIET };
      const native = await estimatePower(s, { ...base, native: 'require' });
      const fallback = await estimatePower(s, { ...base, native: false });
      expect(native.provenance.engine).toBe('native');
      expect(fallback.provenance.engine).toBe('typescript');
      expect(native.pvalueMethod).toBe(fallback.pvalueMethod);
      expect(sameBits(native.perSim!.rhoHat, fallback.perSim!.rhoHat)).toBe(true);
      expect(sameBits(native.perSim!.p, fallback.perSim!.p)).toBe(true);
      expect(native.power).toBe(fallback.power);
      expect(native.realisedMeanRho).toBe(fallback.realisedMeanRho);
      expect(native.rhoIn).toBe(fallback.rhoIn);
    });
  }

  test('the method follows the switches (docs/methods.md, "P-values and power")', async () => {
    clearNullCache();
    const mc = await estimatePower(even73, { rho: 0.3, nSims: 50, pvalueMcOnCacheMiss: true, nPre: 1234, ...QUIET });
    expect(mc.pvalueMethod).toBe('monte-carlo');
    expect(mc.nPerm).toBe(2000);
    expect(mc.nPre).toBeNull();
    await nullDistribution(even73, { nPre: 1234, ...QUIET });
    const hit = await estimatePower(even73, { rho: 0.3, nSims: 50, pvalueMcOnCacheMiss: true, nPre: 1234, ...QUIET });
    expect(hit.pvalueMethod).toBe('null');
    expect(hit.nullSource).toBe('memory');
    const t = await estimatePower(even73, { rho: 0.3, nSims: 50, usePermutationPvalue: false, ...QUIET });
    expect(t.pvalueMethod).toBe('t-approximation');
    const mcBig = await estimatePower(even73, { rho: 0.3, nSims: 5000, generator: 'empirical', pool: pool(73), empiricalUsePrecomputedNull: false, ...QUIET, native: true });
    expect(mcBig.pvalueMethod).toBe('monte-carlo');
    expect(mcBig.nPerm).toBe(1000);
  });
});

describe('invariance and determinism', () => {
  test('threads, chunking (memory limit) and the kept-set cache change nothing', async () => {
    const base = { rho: 0.32, nSims: 3000, keepPerSim: true, ...QUIET };
    const ref = await estimatePower(heavy80, { ...base, threads: 2 });
    clearPowerCache();
    const one = await estimatePower(heavy80, { ...base, threads: 1 });
    clearPowerCache();
    // ~2 MB: the sims no longer fit at once, so they are processed in small chunks
    const chunked = await estimatePower(heavy80, { ...base, threads: 2, memoryLimit: 2.2 * 1024 * 1024 });
    const cached = await estimatePower(heavy80, { ...base, threads: 2 });
    for (const r of [one, chunked, cached]) {
      expect(sameBits(r.perSim!.rhoHat, ref.perSim!.rhoHat)).toBe(true);
      expect(sameBits(r.perSim!.p, ref.perSim!.p)).toBe(true);
      expect(r.power).toBe(ref.power);
    }
    // Monte Carlo path: per-sim permutation streams, so threads and chunks change nothing either
    const mc = { rho: 0.32, nSims: 300, nPerm: 200, pvalueMcOnCacheMiss: true, nPre: 4321, keepPerSim: true, ...QUIET };
    const mc2 = await estimatePower(heavy80, { ...mc, threads: 2 });
    const mc1 = await estimatePower(heavy80, { ...mc, threads: 1, memoryLimit: 1.5 * 1024 * 1024 });
    expect(mc2.pvalueMethod).toBe('monte-carlo');
    expect(sameBits(mc1.perSim!.p, mc2.perSim!.p)).toBe(true);
  });

  test('common random numbers: the bisection is deterministic, 12 evaluations on the same sims, native = fallback', async () => {
    const a = await minDetectableRho(heavy80, { nSims: 400, ...QUIET });
    clearPowerCache();
    const b = await minDetectableRho(heavy80, { nSims: 400, threads: 1, ...QUIET });
    expect(b.steps).toEqual(a.steps);
    expect(b.minDetectableRho).toBe(a.minDetectableRho);
    expect(a.steps).toHaveLength(12);
    expect(a.direction).toBe('negative');
    expect(a.bounds).toEqual([-SEARCH_BOUNDS[1], -SEARCH_BOUNDS[0]]);
    expect(a.minDetectableRho).toBeLessThan(-0.25);
    // each step is exactly estimatePower at that rho (same identity-keyed stream)
    const step = a.steps[5]!;
    const single = await estimatePower(heavy80, { rho: step.rho, nSims: 400, ...QUIET });
    expect(single.power).toBe(step.power);
    if (hasNative) {
      const ts = await minDetectableRho(heavy80, { nSims: 400, native: false, ...QUIET });
      expect(ts.steps).toEqual(a.steps);
    }
  });

  test('concurrent searches sharing kept sims give the sequential results (both engines)', async () => {
    for (const native of ENGINES) {
      const opts = { nSims: 700, native, ...QUIET };
      clearPowerCache();
      const a = await minDetectableRho(tail82, { ...opts, targetPower: 0.7 });
      const b = await minDetectableRho(tail82, { ...opts, targetPower: 0.9 });
      clearPowerCache();
      const [c, d] = await Promise.all([minDetectableRho(tail82, { ...opts, targetPower: 0.7 }), minDetectableRho(tail82, { ...opts, targetPower: 0.9 })]);
      expect(c.steps).toEqual(a.steps);
      expect(d.steps).toEqual(b.steps);
    }
  });

  test('power is monotone in |rho|, and symmetric up to Monte Carlo error', async () => {
    const { rows } = await powerCurve(tail82, [0.1, 0.2, 0.3, 0.4, -0.1, -0.2, -0.3, -0.4], { nSims: 2000, ...QUIET });
    const pos = rows.slice(0, 4).map((r) => r.power);
    const neg = rows.slice(4).map((r) => r.power);
    for (const p of [pos, neg]) for (let i = 1; i < p.length; i++) expect(p[i]!).toBeGreaterThan(p[i - 1]!);
    rows.slice(0, 4).forEach((r, i) => {
      const se = Math.hypot(r.se, rows[i + 4]!.se);
      expect(Math.abs(r.power - rows[i + 4]!.power)).toBeLessThan(4 * se);
      expect(r.realisedMeanRho).toBeCloseTo(r.rho, 1);
    });
    expect(JSON.parse(JSON.stringify(rows))).toEqual(rows);
  });
});

describe('size under H0 (rho = 0)', () => {
  test('permutation p-values: rejection rate within 3 SE of alpha for tied structures', async () => {
    for (const s of [heavy80, even73, tail82]) {
      const nSims = 20000;
      const r = await estimatePower(s, { rho: 0, nSims, ...QUIET });
      // the null's own realisation shifts the critical value too (docs/methods.md, "Precision and run time"): both terms in the SE
      const se = Math.sqrt(0.05 * 0.95 * (1 / nSims + 1 / r.nPre!));
      expect(Math.abs(r.power - 0.05)).toBeLessThan(3 * se);
      expect(Math.abs(r.realisedMeanRho)).toBeLessThan(4 * Math.sqrt(1 / (s.n - 1) / nSims));
    }
    const mc = await estimatePower(heavy80, { rho: 0, nSims: 3000, nPerm: 1000, pvalueMcOnCacheMiss: true, nPre: 999, ...QUIET });
    expect(mc.pvalueMethod).toBe('monte-carlo');
    expect(Math.abs(mc.power - 0.05)).toBeLessThan(3 * Math.sqrt((0.05 * 0.95) / 3000));
  });

  test('t approximation: exact size near alpha for the study structures, above alpha for small heavily tied samples', async () => {
    // Exact size of "reject when |t| > t_crit" under the permutation null = P(|rho| > rho_crit),
    // from a 1 000 000-permutation null. Documented finding: for the study's structures (n 73-82,
    // k >= 4) the t approximation's size is 0.0499-0.0504 -- not materially anticonservative;
    // with two tied groups of 10 (n = 20) it is 0.0525, and with extreme imbalance ([78, 2]) it
    // is conservative (0.040).
    const sizeOf = async (counts: number[]): Promise<number> => {
      const n = counts.reduce((a, b) => a + b, 0);
      const nPre = 1_000_000;
      const { sortedAbs } = await nullDistribution({ n, counts, allDistinct: false }, { nPre, ...QUIET });
      const tc = tQuantile(0.975, n - 2);
      return countAtLeast(sortedAbs, tc / Math.sqrt(n - 2 + tc * tc) + 2e-12) / nPre;
    };
    const se = Math.sqrt((0.05 * 0.95) / 1_000_000);
    expect(Math.abs((await sizeOf([12, 30, 29, 9])) - 0.05)).toBeLessThan(0.001);
    expect(await sizeOf([10, 10])).toBeGreaterThan(0.05 + 10 * se);
    expect(await sizeOf([78, 2])).toBeLessThan(0.05 - 10 * se);
    // and by simulation: two groups of 10, rho = 0, 200 000 sims -> the t approximation rejects too often
    const twoGroups = makeScenario({ n: 20, counts: [10, 10], yMedian: 10, yIqr: 4 });
    const nSims = 200000;
    const t = await estimatePower(twoGroups, { rho: 0, nSims, usePermutationPvalue: false, ...QUIET });
    expect(t.power).toBeGreaterThan(0.05 + 3 * Math.sqrt((0.05 * 0.95) / nSims));
    // the permutation test is exact but, with so few distinct rho values, conservative: its
    // size is P(p < alpha) under the very null it uses, which the simulation reproduces
    const nPre = 200000;
    const perm = await estimatePower(twoGroups, { rho: 0, nSims, nPre, ...QUIET });
    const { sortedAbs } = await nullDistribution(twoGroups, { nPre, ...QUIET });
    const exactSize = sortedAbs.filter((v) => (1 + countAtLeast(sortedAbs, v)) / (1 + nPre) < 0.05).length / nPre;
    expect(exactSize).toBeLessThan(0.05);
    expect(Math.abs(perm.power - exactSize)).toBeLessThan(3 * Math.sqrt((exactSize * (1 - exactSize)) / nSims));
  });
});

describe('minimum detectable rho: boundary warning, directions', () => {
  test('boundary hit: structured warning, printed at verbose >= 1 only, suppressed at nSims <= 50', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error): void => {
      warnings.push(w.message);
    };
    process.on('warning', onWarning);
    try {
      const hit = await minDetectableRho(even73, { nSims: 300, targetPower: 0.995, verbose: 1 });
      await new Promise((r) => setImmediate(r));
      expect(hit.boundaryWarning).not.toBeNull();
      expect(hit.boundaryWarning!.bound).toBe('lower'); // negative direction: -0.42 is the lower bound
      expect(hit.boundaryWarning!.boundValue).toBe(-0.42);
      expect(Math.abs(hit.minDetectableRho - -0.42)).toBeLessThan(1e-4);
      expect(warnings.some((w) => /search boundary/.test(w))).toBe(true);
      warnings.length = 0;
      const quiet = await minDetectableRho(even73, { nSims: 300, targetPower: 0.995, verbose: 0 });
      await new Promise((r) => setImmediate(r));
      expect(quiet.boundaryWarning).toEqual(hit.boundaryWarning);
      expect(warnings).toHaveLength(0);
      const few = await minDetectableRho(even73, { nSims: 50, targetPower: 0.995, verbose: 0 });
      expect(few.boundaryWarning).toBeNull();
      const inside = await minDetectableRho(even73, { nSims: 300, verbose: 0 });
      expect(inside.boundaryWarning).toBeNull();
    } finally {
      process.off('warning', onWarning);
    }
  });

  test('directions: needed by the case, both on request, explicit override', async () => {
    expect(searchDirections(heavy80, 'needed')).toEqual(['negative']);
    expect(searchDirections(tail82, 'needed')).toEqual(['positive']);
    expect(searchDirections(heavy80, 'both')).toEqual(['positive', 'negative']);
    const pos = await minDetectableRho(heavy80, { nSims: 200, direction: 'positive', ...QUIET });
    expect(pos.minDetectableRho).toBeGreaterThan(0.25);
    expect(pos.bounds).toEqual([0.25, 0.42]);
    // the CLI's `scenario --power-only` fields
    for (const key of ['direction', 'minDetectableRho', 'nSims', 'boundaryWarning'] as const) expect(pos).toHaveProperty(key);
  });
});

describe('native memory (docs/methods.md, "Departures from the reference")', () => {
  test.skipIf(!hasNative)('power sets are freed deterministically: a released handle is unusable, RSS stays bounded', async () => {
    const addon = addonFor({ native: true, verbose: 0 })!;
    const { generatorSetup, nativeGeneratorSpec } = await import('../lib/generators');
    const set = addon.createPowerSet({
      generator: nativeGeneratorSpec(generatorSetup(heavy80, 'nonparametric', { vectorize: true })),
      counts: Uint32Array.from(heavy80.counts),
      powerKey: 1n,
      nSims: 100,
      values: false,
      method: 2,
      alpha: 0.05,
      sortedNull: new Float64Array(0),
      nPerm: 0,
      tCrit: 1.99,
      keepSets: true,
      threads: 1,
      memoryLimit: 1e8,
      fixedBytes: 0,
    });
    await addon.powerEvaluate(set, { mixA: 0.3, mixB: 0.95, keepPerSim: false }, null, null);
    addon.releasePowerSet(set);
    expect(() => addon.powerEvaluate(set, { mixA: 0.3, mixB: 0.95, keepPerSim: false }, null, null)).toThrow(/released/);
    // 24 estimates with distinct seeds (24 distinct 10 000-sim sets of ~22 MB): without deterministic
    // release the native memory would grow by ~500 MB before the GC noticed
    clearPowerCache();
    const before = process.memoryUsage().rss;
    for (let seed = 0; seed < 24; seed++) await estimatePower(heavy80, { rho: 0.3, nSims: 10000, seed, memoryLimit: '256MiB', ...QUIET } as never);
    const grown = process.memoryUsage().rss - before;
    expect(grown).toBeLessThan(200 * 1024 * 1024);
    clearPowerCache();
  });
});

describe('controls, validation, provenance', () => {
  test('abort and progress on both engines', async () => {
    for (const native of ENGINES) {
      clearPowerCache();
      const controller = new AbortController();
      const p = minDetectableRho(heavy80, { nSims: 200000, native, signal: controller.signal, ...QUIET });
      setTimeout(() => controller.abort(), 30);
      await expect(p).rejects.toMatchObject({ code: 'ERR_ABORTED' });
      let last = 0;
      let total = 0;
      await estimatePower(heavy80, { rho: 0.3, nSims: 1500, native, onProgress: (d, t) => ((last = d), (total = t)), ...QUIET });
      expect(last).toBe(1500);
      expect(total).toBe(1500);
    }
  });

  test('memory limit fails up front, naming limit and need', async () => {
    await expect(estimatePower(heavy80, { rho: 0.3, nPre: 1_000_000, memoryLimit: '2MiB', ...QUIET } as never)).rejects.toMatchObject({
      code: 'ERR_MEMORY_LIMIT',
      message: expect.stringMatching(/memoryLimit \d+ bytes cannot hold one power chunk: \d+ bytes are needed/),
    });
  });

  test('options are validated; empirical without a pool falls back to nonparametric with a warning', async () => {
    await expect(estimatePower(heavy80, { rho: 1.5, ...QUIET })).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE', option: 'rho' });
    await expect(estimatePower(heavy80, { rho: 0.3, nSim: 5, ...QUIET } as never)).rejects.toMatchObject({ code: 'ERR_UNKNOWN_OPTION' });
    await expect(minDetectableRho(heavy80, { direction: 'up' as never, ...QUIET })).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE' });
    const r = await estimatePower(heavy80, { rho: 0.3, nSims: 100, generator: 'empirical', ...QUIET });
    expect(r.generator).toBe('nonparametric');
    // a scenario specification is accepted as well as a resolved scenario
    const fromSpec = await estimatePower({ case: 1, k: 4, shape: 'heavy_center' }, { rho: 0.3, nSims: 100, ...QUIET });
    expect(fromSpec.power).toBe(r.power);
    expect(fromSpec.scenario).toEqual(r.scenario);
  });

  test('results carry seed, config, version and engine; the seed changes the sims', async () => {
    const a = await estimatePower(heavy80, { rho: 0.3, nSims: 500, seed: 7, ...QUIET });
    expect(a.provenance.seed).toBe(7);
    expect(a.provenance.config.nSims).toBe(500);
    expect(a.provenance.version).toMatch(/^\d+\.\d+\.\d+/);
    const b = await estimatePower(heavy80, { rho: 0.3, nSims: 500, seed: 8, ...QUIET });
    expect(b.realisedMeanRho).not.toBe(a.realisedMeanRho);
    expect(a.se).toBeCloseTo(Math.sqrt((a.power * (1 - a.power)) / 500), 15);
  });
});

describe('bracketed bisection (native) is exact', () => {
  // Each step of a search re-evaluates only the sims whose outcome the bracket's ends leave open;
  // every step's power must equal a full evaluation at that rho.
  const cases: Array<[string, Record<string, unknown>]> = [
    ['nonparametric, null', { generator: 'nonparametric' }],
    ['copula, null', { generator: 'copula' }],
    ['linear, t approximation', { generator: 'linear', usePermutationPvalue: false }],
    ['nonparametric, per-dataset variant', { generator: 'nonparametric', vectorize: false }],
  ];
  for (const [name, opts] of cases) {
    test(name, async () => {
      clearPowerCache();
      const search = await minDetectableRho(heavy80, { nSims: 600, ...opts, ...QUIET });
      for (const step of search.steps) {
        clearPowerCache();
        const full = await estimatePower(heavy80, { rho: step.rho, nSims: 600, ...opts, ...QUIET });
        expect(full.power).toBe(step.power);
      }
    });
  }
});
