// Bootstrap CI methods of a real dataset: percentile, basic and BCa against
// scipy.stats.bootstrap and scipy's own BCa arithmetic (test/fixtures/realdata-methods.json, by
// scripts/golden/make_realdata_fixtures.py), the exact jackknife, the BCa fallback, and the
// native keepRhos option (both engines and both paths give the same resample values).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bootstrapCI, SpearsimError, type IntervalMethod } from '../lib/index';
import { accelerationOf, jackknifeConstant, shareBelow } from '../lib/intervals';
import { jackknifeSync } from '../lib/jackknife';
import { intervalFromDistribution } from '../lib/interval-methods/registry';
import { loblolly } from './helpers/loblolly';
import { runBootstrap } from '../lib/internal/bootstrap-engine';
import { quantileType7Sorted } from '../lib/internal/bootstrap-engine';
import { storedSource } from '../lib/bootstrap';
import { resolveConfig } from '../lib/config';
import { hasNative, nativeAddon } from './helpers/native';
import { spearmanOf } from '../lib/ranks';
import { Rng, rootKey } from '../lib/rng';

interface Dataset { name: string; n: number; x: number[]; y: number[]; rho: number; jackknife_rho: number[]; bca_acceleration: number }
interface Endpoints { lower: number; upper: number; lower_mc_sd: number; upper_mc_sd: number }
interface IntervalCheck {
  rho: number;
  alpha: number;
  distribution: number[];
  synthetic_ties_at_rho: number;
  percentile: [number, number];
  basic: [number, number];
  bca: [number, number];
  bca_z0: number;
  bca_acceleration: number;
  bca_quantile_levels: [number, number];
}
interface MethodsRef {
  name: string;
  bootstrap?: { n_resamples: number; percentile: Endpoints; basic: Endpoints; bca: Endpoints };
  interval_check?: IntervalCheck;
}

const fixtures = path.join(__dirname, 'fixtures');
const datasets = (JSON.parse(fs.readFileSync(path.join(fixtures, 'realdata.json'), 'utf8')) as { datasets: Dataset[] }).datasets;
const refs = (JSON.parse(fs.readFileSync(path.join(fixtures, 'realdata-methods.json'), 'utf8')) as { datasets: MethodsRef[] }).datasets;
const refOf = (d: Dataset): MethodsRef => refs.find((r) => r.name === d.name)!;
const METHODS: IntervalMethod[] = ['percentile', 'basic', 'bca'];

/** Random tied data: x from k levels, y rounded (ties) or not. */
function tiedData(n: number, k: number, seed: number, roundY: boolean): { x: Float64Array; y: Float64Array } {
  const rng = new Rng(rootKey(seed));
  const x = Float64Array.from({ length: n }, () => rng.bounded(k));
  const y = Float64Array.from(x, (v) => v + 2 * rng.normal());
  return { x, y: roundY ? y.map(Math.round) : y };
}

describe('jackknife', () => {
  it('equals the leave-one-out values and acceleration of the fixture (numpy/scipy) to 1e-15', () => {
    for (const d of datasets) {
      const jack = jackknifeSync(Float64Array.from(d.x), Float64Array.from(d.y));
      d.jackknife_rho.forEach((v, i) => expect(Math.abs(jack[i]! - v), `${d.name} [${i}]`).toBeLessThan(1e-15));
      expect(Math.abs(accelerationOf(jack) - d.bca_acceleration)).toBeLessThan(1e-15);
    }
  });

  it('equals spearmanOf of each leave-one-out dataset bit for bit (ties in x and y, NaN when constant)', () => {
    for (const [n, k, roundY] of [[30, 3, true], [41, 6, false], [12, 2, true]] as const) {
      const { x, y } = tiedData(n, k, n, roundY);
      const jack = jackknifeSync(x, y);
      for (let i = 0; i < n; i++) {
        const keep = (_: number, j: number): boolean => j !== i;
        expect(jack[i]).toBe(spearmanOf(x.filter(keep), y.filter(keep)));
      }
    }
    // x = [0, 1, 1, 1]: dropping the single 0 leaves x constant
    const jack = jackknifeSync(Float64Array.from([0, 1, 1, 1]), Float64Array.from([1, 2, 3, 4]));
    expect(Number.isNaN(jack[0]!)).toBe(true);
    expect(Number.isNaN(jack[1]!)).toBe(false);
  });
});

describe('interval arithmetic on a fixed bootstrap distribution (scipy _bca_interval)', () => {
  const checks = refs.filter((r) => r.interval_check).map((r) => [r.name, r.interval_check!] as const);
  it('has cases, one with exact ties at rho (counted half)', () => {
    expect(checks.length).toBe(3);
    expect(checks.some(([, c]) => c.synthetic_ties_at_rho > 0)).toBe(true);
  });
  for (const [name, c] of checks) {
    it(`${name}: percentile, basic, BCa endpoints, z0 and a to 1e-12`, () => {
      const d = datasets.find((q) => q.name === name)!;
      const sorted = Float64Array.from(c.distribution).sort();
      const jack = (): Float64Array => Float64Array.from(d.jackknife_rho);
      for (const m of METHODS) {
        const got = intervalFromDistribution(m, sorted, c.rho, c.alpha, jack);
        expect(got.method).toBe(m);
        expect(got.warning).toBeUndefined();
        expect(Math.abs(got.lower - c[m][0])).toBeLessThan(1e-12);
        expect(Math.abs(got.upper - c[m][1])).toBeLessThan(1e-12);
        if (m === 'bca') {
          expect(Math.abs(got.z0! - c.bca_z0)).toBeLessThan(1e-12);
          expect(Math.abs(got.acceleration! - c.bca_acceleration)).toBeLessThan(1e-14);
          expect(Math.abs(got.levels![0] - c.bca_quantile_levels[0])).toBeLessThan(1e-13);
          expect(Math.abs(got.levels![1] - c.bca_quantile_levels[1])).toBeLessThan(1e-13);
        }
      }
    });
  }
  it('counts values equal to rho half in z0', () => {
    expect(shareBelow(Float64Array.from([0.1, 0.2, 0.2, 0.3]), 0.2)).toBe(0.5);
    expect(shareBelow(Float64Array.from([0.1, 0.2, 0.3, 0.4]), 0.2)).toBe(0.375);
  });
});

describe('BCa where it is undefined: the percentile interval with a warning', () => {
  const alpha = 0.05;
  const jack = (): Float64Array => Float64Array.from([0.1, 0.2, 0.35, 0.3]);
  const sorted = Float64Array.from({ length: 101 }, (_, i) => -0.5 + i / 100);
  const outlier = (): Float64Array => Float64Array.from([1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1]); // a = -0.147
  const cases: Array<[string, Float64Array, number, () => Float64Array, RegExp, number?]> = [
    ['all resamples equal', new Float64Array(50).fill(0.3), 0.3, jack, /same rho/],
    ['rho below every resample (z0 = -inf)', sorted, -0.9, jack, /below every bootstrap resample/],
    ['rho above every resample (z0 = +inf)', sorted, 0.9, jack, /above every bootstrap resample/],
    ['a jackknife value undefined', sorted, 0.1, () => Float64Array.from([0.1, NaN, 0.3]), /observation 2/],
    ['zero jackknife variance', sorted, 0.1, () => new Float64Array(5).fill(0.2), /all jackknife values are equal/],
    // z0 = -2.33 and z = -4.89 (alpha 1e-6): 1 - a (z0 + z) < 0
    ['acceleration too large for the level adjustment', sorted, -0.495, outlier, /too large/, 1e-6],
  ];
  for (const [name, dist, rho, jk, reason, a = alpha] of cases) {
    it(name, () => {
      const got = intervalFromDistribution('bca', dist, rho, a, jk);
      expect(got.method).toBe('percentile');
      expect(got.warning).toMatch(reason);
      expect(got.warning).toMatch(/percentile interval is reported instead/);
      expect(got.lower).toBe(quantileType7Sorted(dist, a / 2));
      expect(got.upper).toBe(quantileType7Sorted(dist, 1 - a / 2));
    });
  }
  it("Loblolly (R's data, age vs height): 84 equal leave-one-out rhos -> the percentile interval with a coded warning", async () => {
    const { age, height } = loblolly();
    const jk = jackknifeSync(Float64Array.from(age), Float64Array.from(height));
    expect(jk.length).toBe(84);
    expect(jackknifeConstant(jk)).toBe(true);
    expect(Number.isNaN(accelerationOf(jk))).toBe(true);
    const warnings: Array<{ code?: string }> = [];
    const listener = (w: Error & { code?: string }): void => void warnings.push(w);
    process.on('warning', listener);
    try {
      const r = await bootstrapCI(age, height, { method: 'bca', nBoot: 2000, seed: 1, verbose: 1 });
      expect(r.method).toBe('percentile');
      expect(r.warningCode).toBe('SPEARSIM_BCA_UNDEFINED');
      expect(r.warning).toMatch(/all jackknife values are equal/);
      const p = await bootstrapCI(age, height, { method: 'percentile', nBoot: 2000, seed: 1, verbose: 0 });
      expect([r.ciLower, r.ciUpper]).toEqual([p.ciLower, p.ciUpper]);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.map((w) => w.code)).toContain('SPEARSIM_BCA_UNDEFINED');
    } finally {
      process.off('warning', listener);
    }
  });
  it('jackknife values that differ beyond their rounding keep a defined acceleration', () => {
    const v = 0.3;
    expect(jackknifeConstant(Float64Array.from([v, v * (1 + 4 * Number.EPSILON), v]))).toBe(true);
    expect(jackknifeConstant(Float64Array.from([v, v * (1 + 1e-13), v]))).toBe(false);
    expect(jackknifeConstant(new Float64Array(7))).toBe(true);
    expect(Number.isFinite(accelerationOf(Float64Array.from([v, v * (1 + 1e-13), v])))).toBe(true);
  });
  it('through bootstrapCI: a singleton x group makes the jackknife undefined', async () => {
    const x = [0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1];
    const y = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8];
    const r = await bootstrapCI(x, y, { method: 'bca', nBoot: 2000, seed: 4, verbose: 0 });
    expect(r.requestedMethod).toBe('bca');
    expect(r.method).toBe('percentile');
    expect(r.warning).toMatch(/leaving out observation 1 makes x or y constant/);
    const p = await bootstrapCI(x, y, { method: 'percentile', nBoot: 2000, seed: 4, verbose: 0 });
    expect([r.ciLower, r.ciUpper]).toEqual([p.ciLower, p.ciUpper]);
  });
});

describe('bootstrapCI methods vs scipy.stats.bootstrap (paired, 20 000 resamples)', () => {
  const withBoot = datasets.filter((d) => refOf(d).bootstrap);
  it('covers the datasets with n >= 15', () => expect(withBoot.length).toBe(7));
  const engines = [{ native: 'require' as const, label: 'native' }, { native: false as const, label: 'TypeScript fallback' }];
  for (const engine of engines.filter((e) => hasNative || e.native === false)) {
    it(`${engine.label}: every endpoint within 4.5 sqrt(2) Monte Carlo SDs of scipy's`, async () => {
      const worst: number[] = [];
      for (const d of withBoot) {
        const ref = refOf(d).bootstrap!;
        for (const method of METHODS) {
          const r = await bootstrapCI(d.x, d.y, { method, nBoot: ref.n_resamples, seed: 3, native: engine.native, verbose: 0 });
          expect(r.method).toBe(method);
          const e = ref[method];
          const zl = Math.abs(r.ciLower - e.lower) / (Math.SQRT2 * e.lower_mc_sd);
          const zu = Math.abs(r.ciUpper - e.upper) / (Math.SQRT2 * e.upper_mc_sd);
          worst.push(zl, zu);
          expect(zl, `${d.name} ${method} lower ${r.ciLower} vs ${e.lower}`).toBeLessThan(4.5);
          expect(zu, `${d.name} ${method} upper ${r.ciUpper} vs ${e.upper}`).toBeLessThan(4.5);
        }
      }
      expect(worst.length).toBe(42);
    });
  }

  it('the methods share the resamples: basic = 2 rho - reversed percentile, BCa from the same distribution', async () => {
    const d = datasets.find((q) => q.name === 'n=50 k=8')!;
    const [p, b, a] = await Promise.all(METHODS.map((method) => bootstrapCI(d.x, d.y, { method, nBoot: 3000, seed: 9, verbose: 0 })));
    expect(b!.ciLower).toBe(2 * p!.rho - p!.ciUpper);
    expect(b!.ciUpper).toBe(2 * p!.rho - p!.ciLower);
    expect(a!.method).toBe('bca');
    expect(a!.acceleration).toBeCloseTo(d.bca_acceleration, 14);
    expect(a!.levels![0]).toBeGreaterThan(0);
    expect(p!.requestedMethod).toBe('percentile');
  });

  it('rejects an unknown method', async () => {
    const err = (await bootstrapCI([1, 2, 3, 4], [2, 1, 4, 3], { method: 'studentized' as never }).catch((e: unknown) => e)) as SpearsimError;
    expect(err.code).toBe('ERR_OUT_OF_RANGE');
    expect(err.option).toBe('method');
  });
});

describe.skipIf(!hasNative)('keepRhos: the full resample distribution from both engines and paths', () => {
  const { x, y } = tiedData(37, 4, 11, true);
  const xs = Float64Array.from([...x, ...tiedData(37, 5, 12, false).x]);
  const ys = Float64Array.from([...y, ...tiedData(37, 5, 12, false).y]);
  const spec = { nReps: 2, nBoot: 700, alpha: 0.05, baseKey: 77n, keepRhos: true };
  const run = (o: object) => runBootstrap(storedSource(xs, ys, 37), spec, resolveConfig({ verbose: 0, ...o }), {});

  it('native batch, native per-rep, 1 and 2 threads, small chunks and the TypeScript fallback give the same bits', async () => {
    const ref = await run({ native: 'require', threads: 2 });
    expect(ref.engine).toBe('native');
    expect(ref.reps.rhos).toHaveLength(2 * 700);
    const variants = await Promise.all([
      run({ native: 'require', threads: 1 }),
      run({ native: 'require', batchBootstrap: false }),
      run({ native: 'require', chunkResamples: 7 }),
      run({ native: false }),
    ]);
    expect(variants[3]!.engine).toBe('typescript');
    for (const v of variants) expect(Array.from(v.reps.rhos!)).toEqual(Array.from(ref.reps.rhos!));
    // the kept values are the ones the percentiles came from
    for (let r = 0; r < 2; r++) {
      const valid = ref.reps.rhos!.subarray(r * 700, (r + 1) * 700).filter((v) => !Number.isNaN(v)).sort();
      expect(quantileType7Sorted(valid, 0.025)).toBe(ref.reps.lo[r]);
      expect(quantileType7Sorted(valid, 0.975)).toBe(ref.reps.hi[r]);
      expect(700 - valid.length).toBe(ref.reps.dropped[r]);
    }
  });

  it('the native layer validates keepRhos (backstop behind the TypeScript checks)', () => {
    const addon = nativeAddon!;
    const o = { x: Float64Array.from([1, 2, 3, 4]), y: Float64Array.from([4, 3, 1, 2]), n: 4, nReps: 1, nBoot: 10, alpha: 0.05, baseKey: 1n, repOffset: 0, chunkResamples: 4, threads: 1 };
    const code = (extra: object): string => {
      try {
        void addon.bootstrapStored({ ...o, ...extra } as typeof o, null, null).catch(() => undefined);
        return 'ok';
      } catch (e) {
        return (e as { code: string }).code;
      }
    };
    expect(code({ keepRhos: 'yes' })).toBe('ERR_INVALID_TYPE');
    expect(code({ keepRhos: true })).toBe('ok');
    expect(code({ keepRhos: true, nReps: 2 ** 30, x: new Float64Array(0), y: new Float64Array(0) })).not.toBe('ok');
  });

  it('are absent unless asked for, and the summaries do not change', async () => {
    const withKeep = await run({ native: 'require' });
    const without = await runBootstrap(storedSource(xs, ys, 37), { ...spec, keepRhos: false }, resolveConfig({ verbose: 0, native: 'require' }), {});
    expect(without.reps.rhos).toBeUndefined();
    expect(Array.from(without.reps.lo)).toEqual(Array.from(withKeep.reps.lo));
    expect(Array.from(without.reps.hi)).toEqual(Array.from(withKeep.reps.hi));
  });
});
