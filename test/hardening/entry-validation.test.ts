// Wrong or weak answers stopped where the input enters: a target rho the generator cannot reach
// (rho = +-1 used to be clipped to a generator input of 0.999 and reported as met, realised 0.968),
// a tie structure that contradicts itself, a misspelt scenario key, and an own-study y scale whose
// log-normal values overflow.
import { describe, expect, it } from 'vitest';
import * as L from '../../lib/index';

const SMALL = { verbose: 0, threads: 2, nSims: 60, nReps: 3, nBoot: 40, nCal: 30, nPre: 200, seed: 5 };
const scenario = L.makeScenario({ case: 1, k: 4, shape: 'even' });

describe('a target rho the generator cannot reach', () => {
  for (const rho of [1, -1, 0.999]) {
    it(`rho ${rho} is refused by estimatePower, powerCurve, ciBootstrap and calibrate, naming the reach`, async () => {
      const refused = expect.objectContaining({ code: 'ERR_OUT_OF_RANGE', message: expect.stringMatching(/can reach on this tie structure: \|rho\| up to about 0\.9\d\d/) });
      await expect(L.estimatePower(scenario, { ...SMALL, rho })).rejects.toEqual(refused);
      await expect(L.powerCurve(scenario, [0.2, rho], SMALL)).rejects.toEqual(refused);
      await expect(L.ciBootstrap(scenario, { ...SMALL, rho })).rejects.toEqual(refused);
      await expect(L.calibrate(scenario, rho, SMALL)).rejects.toEqual(refused);
    });
  }
  it('with calibration off, a target beyond the input cap is refused too', async () => {
    await expect(L.estimatePower(scenario, { ...SMALL, rho: 1, calibrationMode: 'off' })).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE' });
  });
  it('a reachable high target still runs, and a power search near the top is unaffected', async () => {
    const r = await L.estimatePower(scenario, { ...SMALL, rho: 0.9 });
    expect(r.rhoIn).toBeLessThan(0.999);
    const small = L.makeScenario({ n: 6, counts: [3, 3], yMedian: 1, yIqr: 1 });
    const md = await L.minDetectableRho(small, { ...SMALL, usePermutationPvalue: false });
    expect(Number.isFinite(md.minDetectableRho)).toBe(true);
  });
});

describe('tie structures and scenarios are validated where they enter', () => {
  it('nullDistribution refuses allDistinct: true with tied counts (and a non-boolean allDistinct)', async () => {
    await expect(L.nullDistribution({ n: 10, counts: [5, 5], allDistinct: true }, SMALL)).rejects.toMatchObject({ code: 'ERR_INVALID_COUNTS', option: 'allDistinct' });
    await expect(L.nullDistribution({ n: 10, counts: [5, 5], allDistinct: 'no' as unknown as boolean }, SMALL)).rejects.toMatchObject({ code: 'ERR_INVALID_TYPE' });
    await expect(L.nullDistribution({ n: 4, counts: [1, 1, 1, 1], allDistinct: true }, SMALL)).resolves.toMatchObject({ n: 4 });
  });
  it('makeScenario refuses unknown keys with a hint, for case and own-study specifications', () => {
    expect(() => L.makeScenario({ n: 10, counts: [5, 5], yMedian: 1, yIqr: 1, observedRh0: 0.3 } as never)).toThrow(/unknown option scenario key "observedRh0"; did you mean scenario key "observedRho"\?/);
    expect(() => L.makeScenario({ case: 1, k: 4, shap: 'even' } as never)).toThrow(expect.objectContaining({ code: 'ERR_UNKNOWN_OPTION' }));
    expect(() => L.makeScenario({ case: 1, allDistinct: true, lable: 'x' } as never)).toThrow(expect.objectContaining({ code: 'ERR_UNKNOWN_OPTION' }));
    // the case-or-own-study rule still speaks for itself
    expect(() => L.makeScenario({ case: 1, k: 4, shape: 'even', n: 80 } as never)).toThrow(/either a study case/);
  });
  it('an own-study y scale whose log-normal values leave double range is refused', () => {
    for (const [yMedian, yIqr] of [[1e-100, 1e100], [1e305, 1e306], [1e-300, 1e-250]] as const) {
      expect(() => L.makeScenario({ n: 10, counts: [5, 5], yMedian, yIqr })).toThrow(expect.objectContaining({ code: 'ERR_OUT_OF_RANGE', option: 'yIqr' }));
    }
    // wide but representable scales still work
    expect(L.makeScenario({ n: 10, counts: [5, 5], yMedian: 1e-3, yIqr: 1e3 }).yIqr).toBe(1e3);
  });
});
