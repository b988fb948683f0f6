/**
 * Pool y models (twin of native/generators/pooled.hpp): y values from a pool, given in the order
 * of another generator's signal (the pool's j-th smallest value to the item with the j-th
 * smallest signal). A fixed pool of ordinal levels makes this the ordinal discretisation of that
 * generator's y with a fixed margin; a pilot sample drawn with replacement, an empirical pool
 * (docs/methods.md, "Generators" and "Planning your own study"). Pool values tie, so y is always
 * values.
 * @module
 */
import { exp } from '../../mathfn';
import { stableOrder } from '../../ranks';
import type { Rng } from '../../rng';
import type { DatasetParts, GeneratorEntry, GeneratorSpec, ResolvedPool, XTemplate, YModel } from '../generators';

/** A dataset's pool from the data stream (fixed values, fill draws, log-uniform values), sorted ascending. */
export function drawPool(rng: Rng, pool: ResolvedPool, out: Float64Array): void {
  out.set(pool.fixed);
  let at = pool.fixed.length;
  for (let f = 0; f < pool.fillCount; f++) out[at++] = pool.fillSource[rng.bounded(pool.fillSource.length)]!;
  for (let f = 0; f < pool.logUniformCount; f++) out[at++] = exp(pool.logLo + pool.logSpan * rng.uniform());
  out.sort();
}

/** The signal model's components, then the pool; y = the pool in signal order. */
export class PooledModel implements YModel {
  constructor(
    private readonly signalModel: YModel,
    private readonly pool: ResolvedPool,
  ) {}

  drawComponents(rng: Rng, parts: DatasetParts): void {
    this.signalModel.drawComponents(rng, parts);
    drawPool(rng, this.pool, parts.pool);
  }

  values(_rng: Rng, parts: DatasetParts, signal: Float64Array, y: Float64Array): void {
    const order = stableOrder(signal);
    for (let j = 0; j < order.length; j++) y[order[j]!] = parts.pool[j]!;
  }
}

/**
 * The registry entry of the pool variant of a registered generator. `signal` is read when the
 * entry is used, not when it is made (the generator modules import each other through the table).
 */
export function pooledEntry<Name extends string>(
  name: Name,
  code: number,
  signal: () => GeneratorEntry,
  rowMomentsVariant: boolean,
  summary: string,
): GeneratorEntry<Name> {
  return {
    name,
    code,
    summary,
    needsPool: true,
    needsValues: true,
    rowMomentsVariant,
    respondsToRho: true,
    stages: [],
    mixCoefficient: (rho) => signal().mixCoefficient(rho),
    build: (spec: GeneratorSpec, x: XTemplate) => new PooledModel(signal().build(spec, x), spec.pool!),
  };
}
