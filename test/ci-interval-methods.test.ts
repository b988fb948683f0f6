// The expected CI of a scenario with any registered interval method: percentile (the default)
// untouched on the engines' path; basic and BCa per dataset from the kept resamples (BCa with each
// dataset's jackknife), the same bits on every engine and path, and each rep's interval the one
// bootstrapInterval gives for that dataset.
import { describe, expect, test } from 'vitest';
import { bootstrapInterval, type BootstrapResult } from '../lib/bootstrap';
import { expectedCI, generatedSource } from '../lib/ci';
import { calibratedInput } from '../lib/calibration';
import { resolveConfig } from '../lib/config';
import { generatorSetup, mixAt, valuesFor } from '../lib/generators';
import { INTERVAL_METHODS } from '../lib/interval-methods/registry';
import { runBootstrap } from '../lib/internal/bootstrap-engine';
import { makeScenario, structureIdentity } from '../lib/scenario';
import { identityKey } from '../lib/streams';
import { provenance } from '../lib/provenance';

const scenario = makeScenario({ case: 3, k: 4, shape: 'even' });
const small = { verbose: 0, nReps: 6, nBoot: 400, nCal: 100, seed: 11 } as const;

describe('expected CI by interval method', () => {
  test('percentile is the default and keeps its numbers; every registered method runs', async () => {
    const plain = await expectedCI(scenario, small);
    const pct = await expectedCI(scenario, { ...small, intervalMethod: 'percentile' });
    expect(plain.intervalMethod).toBe('percentile');
    expect([pct.ciLower, pct.ciUpper, pct.ciLowerSd]).toEqual([plain.ciLower, plain.ciUpper, plain.ciLowerSd]);
    for (const intervalMethod of INTERVAL_METHODS) {
      const r = await expectedCI(scenario, { ...small, intervalMethod });
      expect(r.intervalMethod).toBe(intervalMethod);
      expect(r.ciLower).toBeLessThan(r.ciUpper);
      expect(r.meanRhoHat).toBe(plain.meanRhoHat);
    }
    await expect(expectedCI(scenario, { ...small, intervalMethod: 'studentized' as never })).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE', option: 'intervalMethod' });
  });

  test('basic = 2 rho - reversed percentile, averaged', async () => {
    const pct = await expectedCI(scenario, small);
    const basic = await expectedCI(scenario, { ...small, intervalMethod: 'basic' });
    expect(basic.ciLower).toBeCloseTo(2 * pct.meanRhoHat - pct.ciUpper, 13);
    expect(basic.ciUpper).toBeCloseTo(2 * pct.meanRhoHat - pct.ciLower, 13);
  });

  test('BCa: native batch, native per-rep, 1 thread and the TypeScript fallback give the same bits', async () => {
    const runs = await Promise.all([
      expectedCI(scenario, { ...small, intervalMethod: 'bca', native: 'require' }),
      expectedCI(scenario, { ...small, intervalMethod: 'bca', native: 'require', batchBootstrap: false }),
      expectedCI(scenario, { ...small, intervalMethod: 'bca', native: 'require', threads: 1 }),
      expectedCI(scenario, { ...small, intervalMethod: 'bca', native: false }),
    ]);
    for (const r of runs.slice(1)) expect([r.ciLower, r.ciUpper, r.ciLowerSd, r.ciUpperSd]).toEqual([runs[0]!.ciLower, runs[0]!.ciUpper, runs[0]!.ciLowerSd, runs[0]!.ciUpperSd]);
  });

  test("BCa: each rep's interval is bootstrapInterval's for that dataset and its resamples", async () => {
    const config = resolveConfig(small);
    const generator = 'nonparametric';
    const setup = generatorSetup(scenario, generator, { vectorize: config.vectorize });
    const { rhoIn } = await calibratedInput(setup, scenario.observedRho!, config, {});
    const baseKey = identityKey(config.seed, { task: 'ci', ...structureIdentity(scenario), generator });
    const source = generatedSource(setup, mixAt(generator, rhoIn), valuesFor(generator, config.vectorize), baseKey);
    const run = await runBootstrap(source, { nReps: small.nReps, nBoot: small.nBoot, alpha: 0.05, baseKey, keepRhos: true }, config, {});
    let lo = 0;
    let hi = 0;
    for (let r = 0; r < small.nReps; r++) {
      const x = new Float64Array(source.n);
      const y = new Float64Array(source.n);
      source.fill(r, x, y);
      const result: BootstrapResult = {
        rho: run.reps.rhoHat[r]!, n: source.n, nBoot: small.nBoot, distribution: run.reps.rhos!.slice(r * small.nBoot, (r + 1) * small.nBoot),
        dropped: run.reps.dropped[r]!, nanOmitted: 0, alpha: 0.05, data: { x, y }, provenance: provenance(config, run.engine),
      };
      const interval = bootstrapInterval(result, { method: 'bca', verbose: 0 });
      lo += interval.ciLower;
      hi += interval.ciUpper;
    }
    const bca = await expectedCI(scenario, { ...small, intervalMethod: 'bca' });
    expect(bca.ciLower).toBeCloseTo(lo / small.nReps, 14);
    expect(bca.ciUpper).toBeCloseTo(hi / small.nReps, 14);
  });
});
