// Monte Carlo error on every simulated answer: the reported SEs agree with the spread of
// independent repetitions (tolerances in standard errors of the spread itself).
import { describe, expect, it } from 'vitest';
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
