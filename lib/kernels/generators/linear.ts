/**
 * Linear on the log scale (twin of native/generators/linear.cc): log y = mu + sigma (rho_p x_std +
 * sqrt(1 - rho_p^2) eps) with x_std the standardised actual x values and rho_p = 2 sin(pi rho / 6)
 * (|rho| < 1e-12: 0). The CI stage of a study skips it.
 * @module
 */
import { exp } from '../../mathfn';
import type { Rng } from '../../rng';
import {
  type DatasetParts, type GeneratorEntry, type GeneratorSpec, type XTemplate, type YModel, ZERO_RHO, spearmanToPearson,
} from '../generators';

class Linear implements YModel {
  private readonly n: number;
  private readonly mu: number;
  private readonly sigma: number;
  private readonly xStd: Float64Array;

  constructor(spec: GeneratorSpec, x: XTemplate) {
    const t = x.values;
    const n = t.length;
    this.n = n;
    this.mu = spec.mu;
    this.sigma = spec.sigma;
    // x_std on the actual values; a row's moments do not depend on its order
    let sum = 0;
    for (let p = 0; p < n; p++) sum += t[p]!;
    const mean = sum / n;
    let ss = 0;
    for (let p = 0; p < n; p++) ss += (t[p]! - mean) * (t[p]! - mean);
    const sd = Math.sqrt(ss / n);
    this.xStd = new Float64Array(n);
    for (let p = 0; p < n; p++) this.xStd[p] = sd <= 1e-12 ? 0.0 : (t[p]! - mean) / sd;
  }

  drawComponents(rng: Rng, parts: DatasetParts): void {
    const { perm, a, b } = parts;
    for (let i = 0; i < this.n; i++) {
      a[i] = this.xStd[perm[i]!]!;
      b[i] = rng.normal();
    }
  }

  values(_rng: Rng, _parts: DatasetParts, signal: Float64Array, y: Float64Array): void {
    // the reference's floor sqrt(max(sigma^2 (1 - rho_p^2), 1e-12)) never binds (see native)
    for (let i = 0; i < this.n; i++) y[i] = exp(this.mu + this.sigma * signal[i]!);
  }
}

export const linear = {
  name: 'linear',
  code: 2,
  summary: 'linear model on the log scale of y, on the actual x values',
  needsPool: false,
  needsValues: false,
  rowMomentsVariant: false,
  respondsToRho: true,
  stages: ['power'],
  mixCoefficient: (rho) => ((rho < 0 ? -rho : rho) < ZERO_RHO ? 0.0 : spearmanToPearson(rho)),
  build: (spec, x) => new Linear(spec, x),
} as const satisfies GeneratorEntry<'linear'>;
