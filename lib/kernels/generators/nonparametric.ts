/**
 * Nonparametric rank mixing, the recommended generator (twin of native/generators/nonparametric.cc):
 * signal = rho s_x + sqrt(1 - rho^2) s_n with rho clipped to +-0.999; y values are n log-normal
 * draws, the j-th smallest given to the item with the j-th smallest signal.
 * @module
 */
import { exp } from '../../mathfn';
import { stableOrder } from '../../ranks';
import type { Rng } from '../../rng';
import { type DatasetParts, type GeneratorEntry, clipGeneratorInput } from '../generators';
import { RankNoiseModel } from './rank-noise';

class Nonparametric extends RankNoiseModel {
  values(rng: Rng, _parts: DatasetParts, signal: Float64Array, y: Float64Array): void {
    const n = this.n;
    const draws = new Float64Array(n);
    for (let j = 0; j < n; j++) draws[j] = exp(this.mu + this.sigma * rng.normal());
    draws.sort();
    const order = stableOrder(signal);
    for (let j = 0; j < n; j++) y[order[j]!] = draws[j]!;
  }
}

export const nonparametric = {
  name: 'nonparametric',
  code: 0,
  summary: 'rank mixing of x midranks and a noise permutation (recommended)',
  needsPool: false,
  needsValues: false,
  rowMomentsVariant: true,
  respondsToRho: true,
  stages: ['power', 'ci'],
  mixCoefficient: (rho) => clipGeneratorInput(rho),
  build: (spec, x) => new Nonparametric(spec, x),
} as const satisfies GeneratorEntry<'nonparametric'>;
