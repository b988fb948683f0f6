// Monte Carlo error on every simulated answer: the reported SEs agree with the spread of
// independent repetitions (tolerances in standard errors of the spread itself).
import { describe, expect, it } from 'vitest';
import { INTERVAL_METHODS, bootstrap, bootstrapCI, bootstrapInterval, spearmanTest } from '../lib/index';
import { calibrationSe } from '../lib/calibration';
import { expectedCI } from '../lib/ci';
import { estimatePower, minDetectableRho, nullCriticalSe } from '../lib/power';

const scenario = { case: 1, k: 4, shape: 'even' } as const; // n = 80, 4 tied x groups

function sd(values: number[]): number {
  const m = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, b) => a + (b - m) ** 2, 0) / (values.length - 1));
}

describe('Monte Carlo error', () => {
  it('minimum detectable rho: the search SE matches the spread over seeds (calibration fixed)', async () => {
    // the calibration seed is fixed, so across base seeds only the search's sims vary
    const seeds = 60;
    const results = [];
    for (let seed = 1; seed <= seeds; seed++) results.push(await minDetectableRho(scenario, { seed, nSims: 1000, verbose: 0 }));
    const spread = sd(results.map((r) => r.minDetectableRho));
    const reported = Math.sqrt(results.reduce((a, r) => a + r.searchSe! ** 2, 0) / seeds);
    // the SD of 60 draws has relative SE 1/sqrt(2 * 59) = 0.092: allow 3.5 of them
    const tolerance = 3.5 / Math.sqrt(2 * (seeds - 1));
    expect(Math.abs(spread / reported - 1)).toBeLessThan(tolerance);
    for (const r of results) {
      expect(r.power).toBeGreaterThan(0.75);
      expect(r.powerSe).toBeCloseTo(Math.sqrt((r.power * (1 - r.power)) / 1000), 12);
      expect(r.slope).toBeLessThan(0); // negative direction: power grows as rho falls
      expect(r.minDetectableRhoSe).toBeCloseTo(Math.hypot(r.searchSe!, r.calibrationSe, r.nullSe), 12);
    }
  }, 120_000);

  it('calibration SE: the realised mean rho of many sims misses the target by about calibrationSe', async () => {
    // per scenario z = (realised - target) / sqrt(calibrationSe^2 + SE(realised)^2); mean z^2 ~ 1
    const z2: number[] = [];
    for (const k of [4, 5, 6, 7, 8, 9, 10]) {
      for (const shape of ['even', 'heavy_tail', 'heavy_center'] as const) {
        const rho = 0.3;
        const r = await estimatePower({ case: 1, k, shape }, { rho, nSims: 20000, verbose: 0 });
        const simSe = ((1 - rho * rho) * Math.sqrt(1.06 / 77)) / Math.sqrt(20000);
        const cal = calibrationSe(80, rho, { nCal: 300, calibrationMode: 'multipoint' });
        z2.push((r.realisedMeanRho - rho) ** 2 / (cal ** 2 + simSe ** 2));
      }
    }
    const mean = z2.reduce((a, b) => a + b, 0) / z2.length;
    // mean of 21 chi-square(1) values: SD sqrt(2 / 21) = 0.31; allow 3 SD either side (>= 0.1)
    expect(mean).toBeGreaterThan(0.1);
    expect(mean).toBeLessThan(1 + 3 * Math.sqrt(2 / 21));
    expect(calibrationSe(80, 0.3, { nCal: 300, calibrationMode: 'off' })).toBe(0);
    expect(calibrationSe(80, 0, { nCal: 300, calibrationMode: 'multipoint' })).toBe(0);
  }, 120_000);

  it('null SE: the critical |rho| of nPre permutations has the sample quantile SE', () => {
    // closed form at n = 80, alpha = 0.05: sqrt(0.0475 / nPre) / (2 phi(1.96) sqrt(79))
    expect(nullCriticalSe(80, 0.05, 50000)).toBeCloseTo(Math.sqrt(0.0475 / 50000) / (2 * 0.05844 * Math.sqrt(79)), 5);
  });

  it('expected CI: endpoint SEs are the SE over reps and the calibration part in quadrature', async () => {
    const r = await expectedCI(scenario, { nReps: 50, nBoot: 200, verbose: 0 });
    expect(r.calibrationSe).toBeCloseTo(calibrationSe(80, -0.13, { nCal: 300, calibrationMode: 'multipoint' }), 15);
    expect(r.ciLowerSe).toBeCloseTo(Math.hypot(r.ciLowerSd / Math.sqrt(50), r.calibrationSe), 12);
    expect(r.ciUpperSe).toBeCloseTo(Math.hypot(r.ciUpperSd / Math.sqrt(50), r.calibrationSe), 12);
    expect(r.meanRhoHatSe).toBeGreaterThan(0);
  });

  it('the extra evaluations leave the search unchanged: same result as the steps imply', async () => {
    const r = await minDetectableRho(scenario, { nSims: 500, verbose: 0 });
    expect(r.steps).toHaveLength(12);
    const last = r.steps.at(-1)!;
    expect(Math.abs(r.minDetectableRho - last.rho)).toBeLessThan(r.tolerance);
  });
});

describe('Monte Carlo error of real-data statistics', () => {
  // a tie-heavy dataset: x on 5 levels, y on 7
  const n = 60;
  const x = Array.from({ length: n }, (_, i) => i % 5);
  const y = Array.from({ length: n }, (_, i) => Math.round(0.8 * (i % 5) + ((i * 37) % 11) / 2) % 7);
  // the SD of S draws has relative SE 1/sqrt(2 (S - 1)): allow 4 of them (and the order-statistic
  // rule's own small-sample bias, a few per cent at these sizes)
  const seeds = 200;
  const tolerance = 4 / Math.sqrt(2 * (seeds - 1)) + 0.05;

  it('bootstrap endpoints: the reported SE matches the spread of the endpoints over seeds, for every interval method', async () => {
    const ratios: string[] = [];
    for (const method of INTERVAL_METHODS) {
      const rows = [];
      for (let seed = 1; seed <= seeds; seed++) rows.push(await bootstrapCI(x, y, { method, seed, nBoot: 2000, verbose: 0 }));
      for (const end of ['Lower', 'Upper'] as const) {
        const spread = sd(rows.map((r) => r[`ci${end}`]));
        const reported = Math.sqrt(rows.reduce((a, r) => a + r[`ci${end}Se`] ** 2, 0) / seeds);
        expect(Math.abs(spread / reported - 1), `${method} ${end}: spread ${spread}, reported ${reported}`).toBeLessThan(tolerance);
        ratios.push(`${method} ${end.toLowerCase()} ${(spread / reported).toFixed(3)}`);
      }
    }
    console.log(`bootstrap endpoint spread / reported SE over ${seeds} seeds: ${ratios.join(', ')}`); // eslint-disable-line no-console
  });

  it('bootstrap endpoint SEs: the engine gives the bits of the order-statistic rule on the kept distribution, on both engines and any thread count', async () => {
    const boot = await bootstrap(x, y, { seed: 5, nBoot: 3000, verbose: 0 });
    for (const method of INTERVAL_METHODS) {
      const fromDistribution = bootstrapInterval(boot, { method });
      for (const opts of [{ native: true, threads: 1 }, { native: true, threads: 2 }, { native: false, threads: 1 }]) {
        const direct = await bootstrapCI(x, y, { method, seed: 5, nBoot: 3000, verbose: 0, ...opts });
        expect([direct.ciLowerSe, direct.ciUpperSe], `${method} ${JSON.stringify(opts)}`).toEqual([fromDistribution.ciLowerSe, fromDistribution.ciUpperSe]);
      }
      expect(fromDistribution.ciLowerSe).toBeGreaterThan(0);
    }
    // percentile: sqrt(nBoot) times more resamples, about sqrt(10) times smaller SE
    const big = await bootstrapCI(x, y, { seed: 5, nBoot: 30000, verbose: 0 });
    const small = await bootstrapCI(x, y, { seed: 5, nBoot: 3000, verbose: 0 });
    expect(small.ciLowerSe / big.ciLowerSe).toBeGreaterThan(2);
    expect(small.ciLowerSe / big.ciLowerSe).toBeLessThan(5);
  });

  it('permutation p-value: the reported SE matches the spread over seeds; exact and closed forms report 0', async () => {
    const rows = [];
    for (let seed = 1; seed <= seeds; seed++) rows.push(await spearmanTest(x, y.map((v, i) => v + ((i * 7) % 3) / 10), { seed, nPerm: 2000, verbose: 0 }));
    expect(rows[0]!.permutation!.kind).toBe('monte-carlo');
    const p = rows.reduce((a, r) => a + r.pValue, 0) / seeds;
    expect(p).toBeGreaterThan(0.02); // a p-value with room for error
    const spread = sd(rows.map((r) => r.pValue));
    const reported = Math.sqrt(rows.reduce((a, r) => a + r.pValueSe ** 2, 0) / seeds);
    expect(Math.abs(spread / reported - 1)).toBeLessThan(tolerance);
    console.log(`permutation p-value (mean ${p.toFixed(3)}) spread / reported SE over ${seeds} seeds: ${(spread / reported).toFixed(3)}`); // eslint-disable-line no-console
    for (const r of rows) expect(r.pValueSe).toBe(Math.sqrt((r.pValue * (1 - r.pValue)) / 2000));
    expect((await spearmanTest(x.slice(0, 8), y.slice(0, 8), { method: 'exact' })).pValueSe).toBe(0);
    expect((await spearmanTest(x, y, { method: 't' })).pValueSe).toBe(0);
  });
});
