/**
 * Empirical pool (twin of native/generators/empirical.cc): the nonparametric signal, with y values
 * from a pool of known values (fixed, drawn with replacement, log-uniform), sorted and given in
 * signal order. Pool values tie, so y is always values (never rank-only). A study run has no pool
 * option, so its stages never use it.
 * @module
 */
import { exp } from '../../mathfn';
import { stableOrder } from '../../ranks';
import type { Rng } from '../../rng';
import { type DatasetParts, type GeneratorEntry, type GeneratorSpec, type ResolvedPool, type XTemplate, clipGeneratorInput } from '../generators';
import { RankNoiseModel } from './rank-noise';

class Empirical extends RankNoiseModel {
  private readonly pool: ResolvedPool;

  constructor(spec: GeneratorSpec, x: XTemplate) {
    super(spec, x);
    this.pool = spec.pool!;
  }

  override drawComponents(rng: Rng, parts: DatasetParts): void {
    super.drawComponents(rng, parts);
    const pool = this.pool;
    const out = parts.pool;
    out.set(pool.fixed);
    let at = pool.fixed.length;
    for (let f = 0; f < pool.fillCount; f++) out[at++] = pool.fillSource[rng.bounded(pool.fillSource.length)]!;
    for (let f = 0; f < pool.logUniformCount; f++) out[at++] = exp(pool.logLo + pool.logSpan * rng.uniform());
    out.sort();
  }

  values(_rng: Rng, parts: DatasetParts, signal: Float64Array, y: Float64Array): void {
    const order = stableOrder(signal);
    for (let j = 0; j < this.n; j++) y[order[j]!] = parts.pool[j]!;
  }
}

export const empirical = {
  name: 'empirical',
  code: 3,
  summary: 'the nonparametric signal with y values from a pool (option pool; values only)',
  needsPool: true,
  needsValues: true,
  rowMomentsVariant: true,
  respondsToRho: true,
  stages: [],
  mixCoefficient: (rho) => clipGeneratorInput(rho),
  build: (spec, x) => new Empirical(spec, x),
} as const satisfies GeneratorEntry<'empirical'>;
