/**
 * Twin of native/generators/rank_noise.hpp: the rank-mixing components shared by the
 * nonparametric and empirical generators. A = s_x, the standardised midranks of x; B = s_n, a
 * random permutation of 1..n plus U(-0.49, 0.49) jitter, standardised by the population constants
 * of such a permutation or, in the per-dataset variant (rowMoments), by its own mean and SD.
 * @module
 */
import type { Rng } from '../../rng';
import type { DatasetParts, GeneratorSpec, XTemplate, YModel } from '../generators';

/** U(-0.49, 0.49) added to the noise permutation. */
const NOISE_JITTER = 0.49;

export abstract class RankNoiseModel implements YModel {
  protected readonly n: number;
  protected readonly mu: number;
  protected readonly sigma: number;
  private readonly rowMoments: boolean;
  private readonly sx: Float64Array;
  private readonly noiseCentre: number;
  private readonly noiseScale: number;

  constructor(spec: GeneratorSpec, x: XTemplate) {
    const n = x.values.length;
    this.n = n;
    this.mu = spec.mu;
    this.sigma = spec.sigma;
    this.rowMoments = spec.rowMoments;
    // s_x = (mr - mean) / sd with the exact population SD of tied midranks
    const sd = Math.sqrt((n * n * n - n - x.ties) / (12.0 * n));
    this.sx = new Float64Array(n);
    for (let p = 0; p < n; p++) this.sx[p] = (0.5 * x.rank2[p]!) / sd;
    this.noiseCentre = (n + 1.0) / 2.0;
    this.noiseScale = Math.sqrt((n * n - 1.0) / 12.0);
  }

  drawComponents(rng: Rng, parts: DatasetParts): void {
    const n = this.n;
    const { perm, a, b } = parts;
    for (let i = 0; i < n; i++) b[i] = i + 1.0;
    rng.shuffle(b, n);
    for (let i = 0; i < n; i++) b[i] = b[i]! + (-NOISE_JITTER + 2 * NOISE_JITTER * rng.uniform());
    let centre = this.noiseCentre;
    let scale = this.noiseScale;
    if (this.rowMoments) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += b[i]!;
      centre = sum / n;
      let ss = 0;
      for (let i = 0; i < n; i++) ss += (b[i]! - centre) * (b[i]! - centre);
      scale = Math.sqrt(ss / n);
    }
    for (let i = 0; i < n; i++) {
      b[i] = (b[i]! - centre) / scale;
      a[i] = this.sx[perm[i]!]!;
    }
  }

  abstract values(rng: Rng, parts: DatasetParts, signal: Float64Array, y: Float64Array): void;
}
