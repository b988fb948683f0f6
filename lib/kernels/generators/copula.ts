/**
 * Gaussian copula (twin of native/generators/copula.cc): signal = rho_p z_x + sqrt(1 - rho_p^2) eps
 * with rho_p = 2 sin(pi rho / 6), z_x = ndtri(u) of x's jittered midrank scores;
 * y = exp(mu + sigma clip(signal)).
 * @module
 */
import { exp, ndtri } from '../../mathfn';
import type { Rng } from '../../rng';
import { type DatasetParts, type GeneratorEntry, type GeneratorSpec, type XTemplate, type YModel, spearmanToPearson } from '../generators';

/** N(0, 1e-6^2) added to the copula u of x. */
const JITTER_SD = 1e-6;
/** u clipped to [1e-8, 1 - 1e-8]. */
const U_CLIP = 1e-8;

class Copula implements YModel {
  private readonly n: number;
  private readonly mu: number;
  private readonly sigma: number;
  private readonly u: Float64Array;
  private readonly zClipLo = ndtri(U_CLIP);
  private readonly zClipHi = ndtri(1.0 - U_CLIP);

  constructor(spec: GeneratorSpec, x: XTemplate) {
    const n = x.values.length;
    this.n = n;
    this.mu = spec.mu;
    this.sigma = spec.sigma;
    // u = (mr - 0.5) / n, before the jitter
    this.u = new Float64Array(n);
    for (let p = 0; p < n; p++) this.u[p] = (x.rank2[p]! + n) / (2.0 * n);
  }

  drawComponents(rng: Rng, parts: DatasetParts): void {
    const { perm, a, b } = parts;
    for (let i = 0; i < this.n; i++) {
      let u = this.u[perm[i]!]! + JITTER_SD * rng.normal();
      u = u < U_CLIP ? U_CLIP : u > 1.0 - U_CLIP ? 1.0 - U_CLIP : u;
      a[i] = ndtri(u);
    }
    for (let i = 0; i < this.n; i++) b[i] = rng.normal();
  }

  values(_rng: Rng, _parts: DatasetParts, signal: Float64Array, y: Float64Array): void {
    // exp(mu + sigma Phi^-1(clip(Phi(z)))) = exp(mu + sigma clip(z, ndtri(1e-8), ndtri(1 - 1e-8)))
    for (let i = 0; i < this.n; i++) {
      const s = signal[i]!;
      const z = s < this.zClipLo ? this.zClipLo : s > this.zClipHi ? this.zClipHi : s;
      y[i] = exp(this.mu + this.sigma * z);
    }
  }
}

export const copula = {
  name: 'copula',
  code: 1,
  summary: 'Gaussian copula on the x midrank scores',
  needsPool: false,
  needsValues: false,
  rowMomentsVariant: false,
  respondsToRho: true,
  stages: ['power', 'ci'],
  mixCoefficient: (rho) => spearmanToPearson(rho),
  build: (spec, x) => new Copula(spec, x),
} as const satisfies GeneratorEntry<'copula'>;
