/**
 * TypeScript twin of native/generators.hpp|cc: the parts of dataset generation every y generator
 * shares (x shuffle, signal, rank-only y) and the interface of a generator's y model. Each
 * generator is one file in lib/kernels/generators/ (twin of native/generators/) and one line in
 * its registry. Both languages produce the same datasets bit for bit.
 *
 * A dataset is drawn from its own data stream in two stages: drawParts (x, its midranks and the
 * signal components A, B: everything that does not depend on rho), then the signal
 * A * mix.a + B * mix.b at one rho and finish (midranks or y values, drawn after the parts).
 * docs/methods.md, "Generators".
 * @module
 */
import { SpearsimError, rangeError, typeError } from '../errors';
import { doubledCentredRanks } from '../ranks';
import type { Rng } from '../rng';
import { generatorEntry } from './generators/table';
import { correlation, sampleSize } from '../internal/validate';

/** Generator inputs and signals are clipped to +-RHO_CLIP. */
export const RHO_CLIP = 0.999;
/** |rho| below this is exactly zero (calibration and the linear generator). */
export const ZERO_RHO = 1e-12;
/** Floor of the log-normal sigma. */
export const MIN_SIGMA = 0.01;

/** sin(x) for |x| <= pi/4 (fdlibm __kernel_sin): only +, -, *, so identical to native kernelSin. */
export function kernelSin(x: number): number {
  const s1 = -1.66666666666666324348e-1;
  const s2 = 8.33333333332248946124e-3;
  const s3 = -1.98412698298579493134e-4;
  const s4 = 2.75573137070700676789e-6;
  const s5 = -2.50507602534068634195e-8;
  const s6 = 1.58969099521155010221e-10;
  const ax = x < 0 ? -x : x;
  if (ax < 2 ** -27) return x;
  const z = x * x;
  const v = z * x;
  const r = s2 + z * (s3 + z * (s4 + z * (s5 + z * s6)));
  return x + v * (s1 + z * r);
}

/** Clips a generator input (or the Pearson correlation it mixes with) to [-RHO_CLIP, RHO_CLIP] = [-0.999, 0.999]. */
export function clipGeneratorInput(r: number): number {
  return r > RHO_CLIP ? RHO_CLIP : r < -RHO_CLIP ? -RHO_CLIP : r;
}

/** Spearman -> Pearson for bivariate normals: clip(2 sin(pi rho / 6), +-0.999), rho in [-1, 1]. */
export function spearmanToPearson(rho: number): number {
  correlation('rho', rho);
  return clipGeneratorInput(2.0 * kernelSin((3.141592653589793 * rho) / 6.0));
}

/** Coefficients of the signal A * a + B * b. */
export interface Mix {
  a: number;
  b: number;
}

/** A validated empirical pool as the kernels use it (twin of native EmpiricalPool). */
export interface ResolvedPool {
  /** fixed and extraFixed values. */
  fixed: Float64Array;
  /** Values the fill draws come from (with replacement). */
  fillSource: Float64Array;
  /** Values drawn from `fillSource` per dataset. */
  fillCount: number;
  /** Log-uniform values per dataset, exp(logLo + U logSpan). */
  logUniformCount: number;
  /** ln lo of the log-uniform range (0 when unused). */
  logLo: number;
  /** ln hi - ln lo of the log-uniform range (0 when unused). */
  logSpan: number;
}

/** What a generator kernel reads (twin of native GeneratorSpec; the kind by name). */
export interface GeneratorSpec {
  /** Registered generator name. */
  readonly kind: string;
  /** Sorted x template of the tie structure. */
  readonly xTemplate: Float64Array;
  /** Per-dataset variant (vectorize off): noise standardised by its own moments. */
  readonly rowMoments: boolean;
  /** Log-normal fit of y values. */
  readonly mu: number;
  /** Log-normal sigma of y (at least 0.01). */
  readonly sigma: number;
  /** Generators that need a pool only. */
  readonly pool: ResolvedPool | null;
}

/** The rho-independent draws of one dataset (twin of native DatasetParts). */
export interface DatasetParts {
  perm: Uint32Array;
  x: Float64Array;
  xRank2: Int32Array;
  a: Float64Array;
  b: Float64Array;
  /** Pool generators: the dataset's pool, sorted ascending. */
  pool: Float64Array;
}

/** Allocates parts for datasets of size n. */
export function newDatasetParts(n: number): DatasetParts {
  return {
    perm: new Uint32Array(n),
    x: new Float64Array(n),
    xRank2: new Int32Array(n),
    a: new Float64Array(n),
    b: new Float64Array(n),
    pool: new Float64Array(n),
  };
}

/** The x template as every y model sees it. */
export interface XTemplate {
  /** Sorted ascending. */
  readonly values: Float64Array;
  /** Doubled centred midrank of each template position. */
  readonly rank2: Int32Array;
  /** Sum of t^3 - t over the tie groups. */
  readonly ties: number;
}

/** The y model of one generator for one template (twin of native YModel). */
export interface YModel {
  /** Stage 1 after x: the signal components parts.a, parts.b (and parts.pool) from the data stream. */
  drawComponents(rng: Rng, parts: DatasetParts): void;
  /** y values from the signal: further draws from the same stream. */
  values(rng: Rng, parts: DatasetParts, signal: Float64Array, y: Float64Array): void;
}

/** Monte Carlo stages of a study run that may use a generator. */
export type GeneratorStage = 'power' | 'ci';

/** A registered generator (lib/kernels/generators/registry.ts; twin of native GeneratorEntry). */
export interface GeneratorEntry<Name extends string = string> {
  /** Option value (`generator`, `generators`). */
  readonly name: Name;
  /** Native code: the entry's place in both tables. */
  readonly code: number;
  /** One line for the CLI help. */
  readonly summary: string;
  /** y values come from an empirical pool (option `pool`). */
  readonly needsPool: boolean;
  /** y has ties of its own, so rank-only y is invalid. */
  readonly needsValues: boolean;
  /** Has a per-dataset variant (vectorize off) that changes the data, not only the y form. */
  readonly rowMomentsVariant: boolean;
  /** y depends on the input rho (so calibration can reach a target). */
  readonly respondsToRho: boolean;
  /** Study stages that run it. */
  readonly stages: readonly GeneratorStage[];
  /** mix.a at input rho; mix.b = sqrt(1 - a^2). */
  mixCoefficient(rho: number): number;
  /** The y model of a template. */
  build(spec: GeneratorSpec, x: XTemplate): YModel;
}

/** The mix of a generator at input rho (twin of native mixAt). */
export function mixAt(kind: string, rho: number): Mix {
  const c = generatorEntry(kind).mixCoefficient(rho);
  return { a: c, b: Math.sqrt(1.0 - c * c) };
}

/** The rank-only error of a generator that needs values. */
export function rankOnlyError(entry: GeneratorEntry): SpearsimError {
  return new SpearsimError('ERR_UNSUPPORTED', `rank-only y is invalid for the ${entry.name} generator (pool values tie); use values`, {
    option: 'values',
    value: false,
    expected: `true for the ${entry.name} generator`,
  });
}

/** The checks of the native Generator constructor (a spec may be built by hand). */
function checkSpec(spec: GeneratorSpec, entry: GeneratorEntry): void {
  const t = spec.xTemplate;
  sampleSize('xTemplate.length', t.length);
  for (let i = 0; i < t.length; i++) {
    if (!Number.isFinite(t[i]!) || (i > 0 && t[i]! < t[i - 1]!)) throw rangeError('xTemplate', t, 'finite values sorted ascending');
  }
  if (!(t[0]! < t[t.length - 1]!)) throw rangeError('xTemplate', t, 'at least two distinct values');
  if (!Number.isFinite(spec.mu) || !(spec.sigma >= MIN_SIGMA) || !Number.isFinite(spec.sigma)) {
    throw rangeError('sigma', spec.sigma, `finite and >= ${MIN_SIGMA} (with a finite mu)`);
  }
  if (entry.needsPool && !spec.pool) throw typeError('pool', spec.pool, `a resolved pool for the ${entry.name} generator`);
}

/** TypeScript twin of native Generator. */
export class Generator {
  readonly n: number;
  readonly kind: string;
  readonly entry: GeneratorEntry;
  /** Sum of t^3 - t over the x tie groups. */
  readonly xTies: number;
  private readonly spec: GeneratorSpec;
  private readonly tmplRank2: Int32Array;
  private readonly model: YModel;

  constructor(spec: GeneratorSpec) {
    const t = spec.xTemplate;
    const n = t.length;
    this.entry = generatorEntry(spec.kind);
    checkSpec(spec, this.entry);
    this.spec = spec;
    this.n = n;
    this.kind = spec.kind;
    this.tmplRank2 = new Int32Array(n);
    let ties = 0;
    for (let i = 0; i < n; ) {
      let j = i + 1;
      while (j < n && t[j] === t[i]) j++;
      this.tmplRank2.fill(i + j - n, i, j);
      const size = j - i;
      ties += size * size * size - size;
      i = j;
    }
    this.xTies = ties;
    this.model = this.entry.build(spec, { values: t, rank2: this.tmplRank2, ties });
  }

  /** Stage 1: x and the signal components from the dataset's data stream. */
  drawParts(rng: Rng, parts: DatasetParts): void {
    const n = this.n;
    const { perm, x, xRank2 } = parts;
    for (let i = 0; i < n; i++) perm[i] = i;
    rng.shuffle(perm, n);
    for (let i = 0; i < n; i++) {
      x[i] = this.spec.xTemplate[perm[i]!]!;
      xRank2[i] = this.tmplRank2[perm[i]!]!;
    }
    this.model.drawComponents(rng, parts);
  }

  /** signal[i] = a[i] * mix.a + b[i] * mix.b */
  signal(parts: DatasetParts, mix: Mix, out: Float64Array): void {
    const { a, b } = parts;
    for (let i = 0; i < this.n; i++) out[i] = a[i]! * mix.a + b[i]! * mix.b;
  }

  /** y from the signal: midranks (values = false; not when the generator needs values) or values. */
  finish(rng: Rng, parts: DatasetParts, signal: Float64Array, values: boolean, y: Float64Array): void {
    const n = this.n;
    if (!values) {
      if (this.entry.needsValues) throw rankOnlyError(this.entry);
      doubledCentredRanks(signal, y);
      const shift = n + 1.0;
      for (let i = 0; i < n; i++) y[i] = (y[i]! + shift) / 2;
      return;
    }
    this.model.values(rng, parts, signal, y);
  }

  /** One whole dataset from its data stream. */
  generate(rng: Rng, mix: Mix, values: boolean, parts: DatasetParts, x: Float64Array, y: Float64Array): void {
    this.drawParts(rng, parts);
    const signal = new Float64Array(this.n);
    this.signal(parts, mix, signal);
    this.finish(rng, parts, signal, values, y);
    x.set(parts.x);
  }
}
