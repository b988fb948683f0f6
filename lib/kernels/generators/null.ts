/**
 * Null (twin of native/generators/null.cc): y independent of x whatever the input rho
 * (signal = eps ~ N(0, 1), y = exp(mu + sigma eps)). A baseline for checks and examples; no study
 * stage runs it.
 * @module
 */
import { exp } from '../../mathfn';
import type { Rng } from '../../rng';
import type { DatasetParts, GeneratorEntry, GeneratorSpec, XTemplate, YModel } from '../generators';

class Null implements YModel {
  private readonly n: number;
  private readonly mu: number;
  private readonly sigma: number;

  constructor(spec: GeneratorSpec, x: XTemplate) {
    this.n = x.values.length;
    this.mu = spec.mu;
    this.sigma = spec.sigma;
  }

  drawComponents(rng: Rng, parts: DatasetParts): void {
    for (let i = 0; i < this.n; i++) {
      parts.a[i] = 0.0;
      parts.b[i] = rng.normal();
    }
  }

  values(_rng: Rng, _parts: DatasetParts, signal: Float64Array, y: Float64Array): void {
    for (let i = 0; i < this.n; i++) y[i] = exp(this.mu + this.sigma * signal[i]!);
  }
}

export const nullGenerator = {
  name: 'null',
  code: 4,
  summary: 'y independent of x whatever rho (a baseline; not run by studies)',
  needsPool: false,
  needsValues: false,
  rowMomentsVariant: false,
  respondsToRho: false,
  stages: [],
  mixCoefficient: () => 0.0,
  build: (spec, x) => new Null(spec, x),
} as const satisfies GeneratorEntry<'null'>;
