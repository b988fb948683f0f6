// Permutation nulls and p-values (docs/methods.md, "P-values and power" and "Departures from the reference"):
//   - the native null equals the TypeScript mirror bit for bit, for any thread count;
//   - a null is seeded by its tie structure only (not by the user seed or by build order);
//   - E[rho^2] = 1/(n-1) under the permutation null for tied structures, within MC error;
//   - quantiles are stable across builds (snapshot) and agree with an independent numpy null
//     (test/fixtures/null_quantiles.json, scripts/golden/make_fixtures.py) within MC error;
//   - p-value edge cases: |rho| at, just above and just below a null value (tolerance 1e-12);
//   - Monte Carlo permutation p-values against exact enumeration; the t approximation;
//   - memory and disk caches: complete keys, atomic writes, corrupt / foreign files rebuilt.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';

import { ENGINES, hasNative } from './helpers/native';
import {
  NULL_BLOCK, PVALUE_TOLERANCE, PermutationLayout, adaptiveNPerm, buildNullFallback, cachedNull, clearNullCache, countAtLeast,
  mcPermutationPvalue, nullDistribution, nullIdentity, nullKey, nullPvalue, studentTTwoSidedPFromRho, tStatistic,
  untiedRanks,
} from '../lib/pvalues';
import { estimatePower } from '../lib/power';
import { doubledCentredRanks, spearmanOf } from '../lib/ranks';
import { Rng } from '../lib/rng';
import { type TieStructure, makeScenario } from '../lib/scenario';
import nullFixture from './fixtures/null_quantiles.json';
import { haveGxx, runNativeCheck } from './helpers/native-check';

const QUIET = { verbose: 0 };
const heavy80 = makeScenario({ case: 1, k: 4, shape: 'heavy_center' });
const distinct80 = makeScenario({ case: 1, allDistinct: true });
const heavy73 = makeScenario({ case: 3, k: 4, shape: 'heavy_center' });
const distinct73 = makeScenario({ case: 3, allDistinct: true });

function structure(counts: number[]): TieStructure {
  return { n: counts.reduce((a, b) => a + b, 0), counts, allDistinct: counts.every((c) => c === 1) };
}

beforeEach(() => clearNullCache());

describe('null distribution: engines, seeding, determinism', () => {
  test.skipIf(!hasNative)('native equals the TypeScript mirror bit for bit, for 1 and 2 threads', async () => {
    for (const s of [heavy80, distinct73, structure([5, 9, 9, 3, 1])]) {
      const nPre = 3 * NULL_BLOCK + 17; // a partial last block
      const ts = await buildNullFallback(s.counts, nullKey(s, nPre), nPre, {});
      for (const threads of [1, 2]) {
        clearNullCache();
        const native = await nullDistribution(s, { nPre, threads, native: 'require', ...QUIET });
        expect(native.provenance.engine).toBe('native');
        expect(Buffer.from(native.sortedAbs.buffer).equals(Buffer.from(ts.buffer))).toBe(true);
      }
    }
  });

  test('seeded by the structure: independent of the user seed and of build order; structures differ', async () => {
    const a1 = (await nullDistribution(heavy80, { nPre: 2000, ...QUIET })).sortedAbs;
    const b1 = (await nullDistribution(heavy73, { nPre: 2000, ...QUIET })).sortedAbs;
    clearNullCache();
    const b2 = (await nullDistribution(heavy73, { nPre: 2000, ...QUIET })).sortedAbs;
    const a2 = (await nullDistribution(heavy80, { nPre: 2000, ...QUIET })).sortedAbs;
    expect(a2).toEqual(a1);
    expect(b2).toEqual(b1);
    expect(nullKey(heavy80, 2000)).toBe(nullKey({ ...heavy80 }, 2000));
    expect(nullKey(heavy80, 2000)).not.toBe(nullKey(heavy80, 2001));
    expect(nullKey(structure([20, 20, 20, 20]), 2000)).not.toBe(nullKey(structure([20, 20, 21, 19]), 2000));
    // the user seed is not part of a null's identity
    expect(nullIdentity(heavy80, 2000)).not.toHaveProperty('userSeed');
    clearNullCache();
    // a user seed (valid configuration, not a null option) changes nothing
    const seeded = { nPre: 2000, seed: 7, native: false, ...QUIET } as Parameters<typeof nullDistribution>[1];
    const withSeed = (await nullDistribution(heavy80, seeded)).sortedAbs;
    expect(withSeed).toEqual(a1);
  });

  test('sorted, in [0, 1], and the partial shuffle gives the exact permutation distribution (n = 6, all 720 permutations)', async () => {
    const layout = new PermutationLayout([3, 1, 2]);
    expect(layout.fixedBelow).toBe(3);
    // n = 6: enumerate all 720 permutations for the exact distribution of |sxy4|, compare with draws
    const exact = new Map<number, number>();
    const perm = [0, 1, 2, 3, 4, 5];
    const x = [1, 1, 1, 2, 3, 3];
    const permute = (k: number): void => {
      if (k === perm.length) {
        const s = Math.round(Math.abs(spearmanOf(x, perm) * 1e9));
        exact.set(s, (exact.get(s) ?? 0) + 1 / 720);
        return;
      }
      for (let i = k; i < perm.length; i++) {
        [perm[k], perm[i]] = [perm[i]!, perm[k]!];
        permute(k + 1);
        [perm[k], perm[i]] = [perm[i]!, perm[k]!];
      }
    };
    permute(0);
    const draws = 60000;
    const nul = await buildNullFallback([3, 1, 2], 12345n, draws, {});
    for (let i = 1; i < nul.length; i++) expect(nul[i]!).toBeGreaterThanOrEqual(nul[i - 1]!);
    const seen = new Map<number, number>();
    for (const v of nul) seen.set(Math.round(v * 1e9), (seen.get(Math.round(v * 1e9)) ?? 0) + 1 / draws);
    for (const [value, p] of exact) {
      const se = Math.sqrt((p * (1 - p)) / draws);
      expect(Math.abs((seen.get(value) ?? 0) - p)).toBeLessThan(4 * se + 1e-12);
    }
  });

  test('E[rho^2] = 1/(n-1) under the null for tied structures (within 3 MC standard errors)', async () => {
    for (const s of [heavy80, heavy73, structure([40, 30, 10]), makeScenario({ case: 2, k: 10, shape: 'heavy_tail' })]) {
      const { sortedAbs } = await nullDistribution(s, { nPre: 100000, ...QUIET });
      let m = 0;
      for (const v of sortedAbs) m += v * v;
      m /= sortedAbs.length;
      let ss = 0;
      for (const v of sortedAbs) ss += (v * v - m) ** 2;
      const se = Math.sqrt(ss / (sortedAbs.length - 1) / sortedAbs.length);
      expect(Math.abs(m - 1 / (s.n - 1))).toBeLessThan(3 * se);
    }
  });

  test('quantiles: stable across builds (snapshot) and consistent with an independent numpy null', async () => {
    const snapshot: Array<[TieStructure, number]> = [
      [heavy80, 0.22116021857722487],
      [distinct80, 0.21884786685419588],
      [distinct73, 0.2301616685178329],
      [heavy73, 0.23137868000833878],
    ];
    const computed = new Map<TieStructure, number>();
    for (const [s, q95] of snapshot) {
      const a = (await nullDistribution(s, QUIET)).sortedAbs; // default nPre 50 000
      const h = (a.length - 1) * 0.95;
      const f = Math.floor(h);
      const q = a[f]! + (h - f) * (a[f + 1]! - a[f]!);
      computed.set(s, q);
      expect(q).toBe(q95);
      const ref = nullFixture.cases.find((c) => JSON.stringify(c.counts) === JSON.stringify(s.counts));
      if (ref) {
        const seOurs = ref.q95_mc_se * Math.sqrt(ref.n_perm / a.length);
        expect(Math.abs(q - ref.q95_abs_rho)).toBeLessThan(3 * Math.hypot(seOurs, ref.q95_mc_se));
      }
    }
    // docs/methods.md, "P-values and power" reference 95th percentiles (upstream's own MC realisation): within 3 SE of 0.21/sqrt(nPre) each
    const se = 0.21 / Math.sqrt(50000);
    const reference: Array<[TieStructure, number]> = [[heavy80, 0.2198], [distinct80, 0.2193], [distinct73, 0.2295], [heavy73, 0.2293]];
    for (const [s, q95] of reference) expect(Math.abs(computed.get(s)! - q95)).toBeLessThan(3 * Math.SQRT2 * se);
  });
});

describe('p-values', () => {
  test('the power tally decides the null test from rho alone exactly as p < alpha (native check program)', { timeout: 120_000 }, (ctx) => {
    if (!haveGxx) {
      ctx.skip('g++ not found on PATH: cannot compile test/native-src/null_reject.cc');
      return;
    }
    expect(runNativeCheck('null_reject.cc').trim()).toMatch(/^ok \d+$/);
  });

  test('per-sim p-values agree with the rejection count (null test, both engines)', async () => {
    for (const native of ENGINES) {
      const options = { rho: 0.2, nSims: 3000, seed: 11, native, ...QUIET };
      const r = await estimatePower(heavy73, { ...options, keepPerSim: true });
      const rejected = r.perSim!.p.filter((p) => p < 0.05).length;
      expect(r.pvalueMethod).toBe('null');
      expect(rejected).toBe(Math.round(r.power * 3000));
      expect(rejected).toBeGreaterThan(100);
      expect((await estimatePower(heavy73, options)).power).toBe(r.power);
    }
  });

  test('edge cases: |rho| at, just above, just below a null value; tolerance 1e-12; signs; extremes', async () => {
    const a = (await nullDistribution(heavy80, { nPre: 20000, ...QUIET })).sortedAbs;
    const m = a.length;
    // a value with exact ties in the null
    let k = Math.floor(0.9 * m);
    while (a[k + 1] !== a[k]) k++;
    const v = a[k]!;
    const first = a.indexOf(v);
    const last = a.lastIndexOf(v);
    expect(last).toBeGreaterThan(first);
    const atOrAbove = m - first;
    expect(countAtLeast(a, v)).toBe(atOrAbove);
    expect(nullPvalue(a, v)).toBe((1 + atOrAbove) / (1 + m));
    expect(nullPvalue(a, -v)).toBe(nullPvalue(a, v));
    // within the tolerance an ulp-level difference still counts as equal ...
    expect(countAtLeast(a, v + 0.5 * PVALUE_TOLERANCE)).toBe(atOrAbove);
    expect(countAtLeast(a, v * (1 + 2 ** -52))).toBe(atOrAbove);
    // ... beyond it the tied group drops out; just below the value nothing new enters
    expect(countAtLeast(a, v + 2 * PVALUE_TOLERANCE)).toBe(m - last - 1);
    expect(countAtLeast(a, v - 2 * PVALUE_TOLERANCE)).toBe(atOrAbove);
    expect(countAtLeast(a, (v + a[first - 1]!) / 2)).toBe(atOrAbove);
    // extremes
    expect(nullPvalue(a, 0)).toBe(1);
    expect(nullPvalue(a, 1)).toBe(1 / (1 + m));
    expect(nullPvalue(a, a[m - 1]!)).toBeGreaterThanOrEqual(2 / (1 + m));
    expect(Number.isNaN(nullPvalue(a, NaN))).toBe(true);
  });

  test('a dataset whose rho-hat is a null value gets the tolerant count (same exact formula both sides)', async () => {
    const a = (await nullDistribution(heavy80, { nPre: 20000, ...QUIET })).sortedAbs;
    // a real dataset on heavy80's x structure: rho-hat is exactly representable as a null value
    const x: number[] = [];
    heavy80.counts.forEach((c, g) => x.push(...new Array<number>(c).fill(g)));
    const y = Array.from({ length: 80 }, (_, i) => (i * 37) % 80);
    const rho = spearmanOf(x, y);
    const p = nullPvalue(a, rho);
    expect(p).toBe((1 + a.filter((b) => b >= Math.abs(rho) - 1e-12).length) / (1 + a.length));
  });

  test('Monte Carlo permutation p-values: exact enumeration for n = 7 with ties in x and y', () => {
    const x = [1, 1, 2, 2, 2, 3, 4];
    const y = [5, 3, 3, 9, 7, 8, 10];
    const rhoHat = spearmanOf(x, y);
    let atLeast = 0;
    let total = 0;
    const perm = [...y];
    const permute = (k: number): void => {
      if (k === perm.length) {
        total++;
        if (Math.abs(spearmanOf(x, perm)) >= Math.abs(rhoHat) - 1e-12) atLeast++;
        return;
      }
      for (let i = k; i < perm.length; i++) {
        [perm[k], perm[i]] = [perm[i]!, perm[k]!];
        permute(k + 1);
        [perm[k], perm[i]] = [perm[i]!, perm[k]!];
      }
    };
    permute(0);
    const exact = atLeast / total;
    const layout = new PermutationLayout([2, 3, 1, 1]);
    const ry = new Float64Array(7);
    const tiesY = doubledCentredRanks(y, ry);
    expect(tiesY).toBe(6);
    const nPerm = 40000;
    const p = mcPermutationPvalue(layout, Int32Array.from(ry), tiesY, rhoHat, nPerm, new Rng(99n));
    expect(Math.abs(p - exact)).toBeLessThan(4 * Math.sqrt((exact * (1 - exact)) / nPerm));
    // reproducible from its stream
    const again = mcPermutationPvalue(layout, Int32Array.from(ry), tiesY, rhoHat, nPerm, new Rng(99n));
    expect(again).toBe(p);
  });

  test('adaptive n_perm (docs/methods.md, "P-values and power") and the t approximation (docs/methods.md, "P-values and power")', () => {
    expect(adaptiveNPerm(5000, 0)).toBe(1000);
    expect(adaptiveNPerm(4999, 0)).toBe(2000);
    expect(adaptiveNPerm(10, 300)).toBe(300);
    expect(tStatistic(0.3, 80)).toBeCloseTo(0.3 * Math.sqrt(78 / 0.91), 14);
    expect(tStatistic(1, 80)).toBe(Math.sqrt(78 / 1e-15));
    // p < alpha exactly when |t| > t_crit(1 - alpha/2): check around the critical rho
    const rhoCrit = 1.9908470688116919 / Math.sqrt(78 + 1.9908470688116919 ** 2);
    expect(studentTTwoSidedPFromRho(rhoCrit * (1 + 1e-9), 80)).toBeLessThan(0.05);
    expect(studentTTwoSidedPFromRho(rhoCrit * (1 - 1e-9), 80)).toBeGreaterThan(0.05);
  });
});

describe('caches (docs/methods.md, "Departures from the reference")', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spearsim-null-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const warnings: string[] = [];
  const onWarning = (w: Error): void => {
    warnings.push(w.message);
  };

  test('memory, then disk (atomic, complete key), corrupt and foreign files rebuilt with a warning', async () => {
    process.on('warning', onWarning);
    try {
      const s = structure([30, 25, 25]);
      const opts = { nPre: 3000, cacheDir: dir, verbose: 1 };
      const built = await nullDistribution(s, { ...opts, saveCache: true });
      expect(built.source).toBe('built');
      expect((await nullDistribution(s, opts)).source).toBe('memory');
      const files = fs.readdirSync(dir);
      expect(files).toHaveLength(1);
      expect(files[0]).toMatch(/^null-[0-9a-f]+\.json$/);
      clearNullCache();
      const fromDisk = await nullDistribution(s, opts);
      expect(fromDisk.source).toBe('disk');
      expect(fromDisk.sortedAbs).toEqual(built.sortedAbs);
      // another nPre is another key: a miss, never the wrong array
      clearNullCache();
      expect(cachedNull(s, { nPre: 3001, cacheDir: dir, verbose: 0 })).toBeUndefined();
      // truncated file -> warning, rebuild (identical: the null is seeded by its structure)
      const file = path.join(dir, files[0]!);
      const text = fs.readFileSync(file, 'utf8');
      fs.writeFileSync(file, text.slice(0, text.length / 2));
      clearNullCache();
      warnings.length = 0;
      const rebuilt = await nullDistribution(s, opts);
      await new Promise((r) => setImmediate(r));
      expect(rebuilt.source).toBe('built');
      expect(rebuilt.sortedAbs).toEqual(built.sortedAbs);
      expect(warnings.some((w) => /corrupt/.test(w))).toBe(true);
      // a valid envelope whose payload was tampered with -> checksum mismatch
      const envelope = JSON.parse(text) as { payload: { sortedAbs: string } };
      envelope.payload.sortedAbs = Buffer.from(new Float64Array(3000).buffer).toString('base64');
      fs.writeFileSync(file, JSON.stringify(envelope));
      clearNullCache();
      expect(cachedNull(s, { nPre: 3000, cacheDir: dir, verbose: 0 })).toBeUndefined();
    } finally {
      process.off('warning', onWarning);
    }
  });

  test('an unwritable cache directory warns and the run goes on in memory', async () => {
    process.on('warning', onWarning);
    try {
      const blocker = path.join(dir, 'file');
      fs.writeFileSync(blocker, 'x');
      warnings.length = 0;
      const r = await nullDistribution(structure([40, 40]), { nPre: 500, cacheDir: path.join(blocker, 'sub'), saveCache: true, verbose: 1 });
      await new Promise((res) => setImmediate(res));
      expect(r.sortedAbs).toHaveLength(500);
      expect(warnings.some((w) => /could not write cache file/.test(w))).toBe(true);
    } finally {
      process.off('warning', onWarning);
    }
  });
});

describe('controls', () => {
  test('abort and progress, on both engines', async () => {
    for (const native of ENGINES) {
      clearNullCache();
      const controller = new AbortController();
      controller.abort();
      await expect(nullDistribution(distinct80, { nPre: 200000, native, signal: controller.signal, ...QUIET })).rejects.toMatchObject({
        code: 'ERR_ABORTED',
      });
      const late = new AbortController();
      const p = nullDistribution(distinct80, { nPre: 2_000_000, native, threads: 1, signal: late.signal, ...QUIET });
      setTimeout(() => late.abort(), 5);
      await expect(p).rejects.toMatchObject({ code: 'ERR_ABORTED' });
      let last = 0;
      await nullDistribution(structure([10, 10, 10]), { nPre: 5000, native, onProgress: (d) => (last = d), ...QUIET });
      expect(last).toBe(5000);
    }
  });

  test('invalid structures are rejected with stable codes', async () => {
    await expect(nullDistribution(structure([5]), QUIET)).rejects.toMatchObject({ code: 'ERR_INVALID_COUNTS' });
    await expect(nullDistribution({ n: 10, counts: [5, 4], allDistinct: false }, QUIET)).rejects.toMatchObject({ code: 'ERR_INVALID_COUNTS' });
    await expect(nullDistribution(heavy80, { nPre: 5, ...QUIET })).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE' });
    await expect(nullDistribution(heavy80, { nPre: 1e7, memoryLimit: '64MiB', ...QUIET } as never)).rejects.toMatchObject({ code: 'ERR_MEMORY_LIMIT' });
    const y = new Int32Array(4);
    untiedRanks(4, y);
    expect(Array.from(y)).toEqual([-3, -1, 1, 3]);
  });
});
