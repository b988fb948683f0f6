/**
 * y generators (spec 02): nonparametric rank-mixing (recommended), Gaussian copula, linear on the
 * log scale, and the empirical pool. This is the TypeScript mirror of native/generators.hpp (see
 * there for the two-stage design); both produce the same datasets bit for bit.
 *
 * Dataset r of a task is drawn from `Rng(repStreamKey(baseKey, r, STREAM_DATA))` alone, so data
 * never depend on n_boot, thread count, engine or call pattern. Per dataset: x = Fisher-Yates
 * shuffle of the template, then the generator's draws (spec 02 RNG order).
 * @module
 */
import type { Config, GeneratorName } from './config';
import { SpearsimError, describeValue, rangeError, typeError } from './errors';
import type { NativeGeneratorSpec } from './internal/addon-generators';
import { callSync, engine } from './internal/native';
import { exp, log, ndtri } from './mathfn';
import { MAX_EXACT_N, doubledCentredRanks, stableOrder } from './ranks';
import { Rng } from './rng';
import { type Scenario, type TieStructure, xTemplate } from './scenario';
import { STREAM_DATA, repStreamKey } from './streams';

/** Native generator codes (native GeneratorKind). */
export const GENERATOR_CODES: Readonly<Record<GeneratorName, number>> = { nonparametric: 0, copula: 1, linear: 2, empirical: 3 };

/** Generator inputs and signals are clipped to +-RHO_CLIP. */
export const RHO_CLIP = 0.999;
/** |rho| below this is exactly zero (spec 03 and the linear generator). */
export const ZERO_RHO = 1e-12;
const NOISE_JITTER = 0.49;
const COPULA_JITTER_SD = 1e-6;
const COPULA_U_CLIP = 1e-8;
/** Floor of the log-normal sigma (spec 02). */
export const MIN_SIGMA = 0.01;
/** Phi^-1(0.75) as spec 02 gives it. */
const PHI_INV_075 = 0.6744897501960817;

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

/** Clips to [-RHO_CLIP, RHO_CLIP]. */
export function clipRho(r: number): number {
  return r > RHO_CLIP ? RHO_CLIP : r < -RHO_CLIP ? -RHO_CLIP : r;
}

/** Spearman -> Pearson for bivariate normals: clip(2 sin(pi rho / 6), +-0.999), rho in [-1, 1]. */
export function spearmanToPearson(rho: number): number {
  if (typeof rho !== 'number' || !(rho >= -1 && rho <= 1)) throw rangeError('rho', rho, 'a number in [-1, 1]');
  return clipRho(2.0 * kernelSin((3.141592653589793 * rho) / 6.0));
}

/** Coefficients of the signal A * a + B * b. */
export interface Mix {
  a: number;
  b: number;
}

/** The mix of a generator at input rho (mirror of native mixAt). */
export function mixAt(kind: GeneratorName, rho: number): Mix {
  let c: number;
  if (kind === 'nonparametric' || kind === 'empirical') c = clipRho(rho);
  else if (kind === 'linear' && (rho < 0 ? -rho : rho) < ZERO_RHO) c = 0.0; // independent y (spec 02 §3)
  else c = spearmanToPearson(rho);
  return { a: c, b: Math.sqrt(1.0 - c * c) };
}

/** Log-normal fit of y from its median and IQR (spec 02): mu = ln median, symmetric IQR split. */
export function logNormalFit(median: number, iqr: number): {
  /** Log-scale location, ln median. */
  mu: number;
  /** Log-scale SD (at least 0.01). */
  sigma: number;
} {
  if (typeof median !== 'number' || !Number.isFinite(median) || !(median > 0)) throw rangeError('median', median, 'a finite number > 0');
  if (typeof iqr !== 'number' || !Number.isFinite(iqr) || !(iqr >= 0)) throw rangeError('iqr', iqr, 'a finite number >= 0');
  const mu = log(median);
  const q75 = median + iqr / 2;
  return { mu, sigma: Math.max((log(q75) - mu) / PHI_INV_075, MIN_SIGMA) };
}

/** User-supplied empirical pool specification (spec 02 §4); the sizes must add up to n. */
export interface EmpiricalPoolSpec {
  /** Values present once in every dataset. */
  fixed?: readonly number[];
  /** Values drawn with replacement from `fillSource` (default `fixed`). */
  fillCount?: number;
  /** Values the `fillCount` draws come from (default `fixed`). */
  fillSource?: readonly number[];
  /** Always present (known outliers). */
  extraFixed?: readonly number[];
  /** Values exp(U(ln lo, ln hi)). */
  logUniformCount?: number;
  /** Range [lo, hi] of the log-uniform values, 0 < lo <= hi. */
  logUniformRange?: readonly [number, number];
}

/** A validated pool as the kernels use it. */
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

function finiteList(option: string, value: unknown): number[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw typeError(option, value, 'a list of finite numbers');
  return value.map((v: unknown, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw rangeError(`${option}[${i}]`, v, 'a finite number');
    return v === 0 ? 0 : v; // no -0: sorting must not depend on the sign of zero
  });
}

function count(option: string, value: unknown): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw rangeError(option, value, 'an integer >= 0');
  return value;
}

/** Validates an empirical pool specification for datasets of size n. */
export function resolvePool(spec: EmpiricalPoolSpec, n: number): ResolvedPool {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) throw typeError('pool', spec, 'an object');
  const fixed = finiteList('pool.fixed', spec.fixed);
  const extraFixed = finiteList('pool.extraFixed', spec.extraFixed);
  const fillCount = count('pool.fillCount', spec.fillCount);
  const fillSource = spec.fillSource === undefined ? fixed : finiteList('pool.fillSource', spec.fillSource);
  const logUniformCount = count('pool.logUniformCount', spec.logUniformCount);
  if (fillCount > 0 && fillSource.length === 0) throw rangeError('pool.fillSource', spec.fillSource, 'a non-empty list when fillCount > 0');
  let logLo = 0;
  let logSpan = 0;
  if (logUniformCount > 0) {
    const range = spec.logUniformRange;
    if (!Array.isArray(range) || range.length !== 2 || !(range[0] > 0) || !(range[1] >= range[0]) || !Number.isFinite(range[1])) {
      throw rangeError('pool.logUniformRange', range, 'finite [lo, hi] with 0 < lo <= hi');
    }
    logLo = log(range[0]);
    logSpan = log(range[1]) - logLo;
  }
  const total = fixed.length + fillCount + extraFixed.length + logUniformCount;
  if (total !== n) {
    throw new SpearsimError(
      'ERR_OUT_OF_RANGE',
      `pool must specify exactly n=${n} values (|fixed| + fillCount + |extraFixed| + logUniformCount); it specifies ${total}`,
      { option: 'pool', value: total, expected: `${n} values` },
    );
  }
  const possible = new Set([...fixed, ...extraFixed, ...(fillCount > 0 ? fillSource : [])]);
  if (possible.size < 2 && !(logUniformCount > 0 && logSpan > 0)) {
    throw rangeError('pool', describeValue([...possible]), 'a specification that can produce at least two distinct y values');
  }
  return {
    fixed: Float64Array.from([...fixed, ...extraFixed]),
    fillSource: Float64Array.from(fillSource),
    fillCount,
    logUniformCount,
    logLo,
    logSpan,
  };
}

/** Everything that defines a generator except its input rho. */
export interface GeneratorSetup {
  /** Which generator. */
  readonly kind: GeneratorName;
  /** The tie structure the template comes from (stream and cache identities). */
  readonly structure: TieStructure;
  /** Sorted x template of the tie structure. */
  readonly xTemplate: Float64Array;
  /** Per-dataset variant (vectorize off): s_n from the noise's own moments (nonparametric, empirical). */
  readonly rowMoments: boolean;
  /** Log-normal fit of y values. */
  readonly mu: number;
  /** Log-normal sigma of y (at least 0.01). */
  readonly sigma: number;
  /** Empirical only. */
  readonly pool: ResolvedPool | null;
}

/** Whether the generator mixes a noise permutation (and so has a row-moments variant). */
export function usesNoisePermutation(kind: GeneratorName): boolean {
  return kind === 'nonparametric' || kind === 'empirical';
}

/**
 * The generator of a scenario. `vectorize` (Config) selects the batch form (population noise
 * constants, rank-only y) or the per-dataset form (row moments, values); `empirical` always uses values.
 */
export function generatorSetup(
  scenario: Scenario,
  kind: GeneratorName,
  options: { vectorize: boolean; pool?: EmpiricalPoolSpec },
): GeneratorSetup {
  if (kind === 'empirical' && options.pool === undefined) {
    throw new SpearsimError('ERR_UNSUPPORTED', 'the empirical generator needs a pool specification (option pool)', { option: 'pool' });
  }
  const { mu, sigma } = logNormalFit(scenario.yMedian, scenario.yIqr);
  return {
    kind,
    structure: { n: scenario.n, counts: scenario.counts, allDistinct: scenario.allDistinct },
    xTemplate: xTemplate(scenario),
    rowMoments: !options.vectorize && usesNoisePermutation(kind),
    mu,
    sigma,
    pool: kind === 'empirical' ? resolvePool(options.pool as EmpiricalPoolSpec, scenario.n) : null,
  };
}

/** Whether a generator outputs y values: always for empirical (pool ties), else when not vectorised. */
export function valuesFor(kind: GeneratorName, vectorize: boolean): boolean {
  return kind === 'empirical' || !vectorize;
}

/** The generator as the addon reads it. */
export function nativeGeneratorSpec(setup: GeneratorSetup): NativeGeneratorSpec {
  const spec: NativeGeneratorSpec = {
    kind: GENERATOR_CODES[setup.kind],
    xTemplate: setup.xTemplate,
    rowMoments: setup.rowMoments,
    mu: setup.mu,
    sigma: setup.sigma,
  };
  if (setup.pool) spec.pool = setup.pool;
  return spec;
}

/** The rho-independent draws of one dataset (mirror of native DatasetParts). */
export interface DatasetParts {
  perm: Uint32Array;
  x: Float64Array;
  xRank2: Int32Array;
  a: Float64Array;
  b: Float64Array;
  /** Empirical: the dataset's pool, sorted ascending. */
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

/** The checks of the native Generator constructor (a setup may be built by hand). */
function checkSetup(setup: GeneratorSetup): void {
  const t = setup.xTemplate;
  if (t.length < 3 || t.length > MAX_EXACT_N) throw rangeError('xTemplate.length', t.length, `an integer in [3, ${MAX_EXACT_N}]`);
  for (let i = 0; i < t.length; i++) {
    if (!Number.isFinite(t[i]!) || (i > 0 && t[i]! < t[i - 1]!)) throw rangeError('xTemplate', t, 'finite values sorted ascending');
  }
  if (!(t[0]! < t[t.length - 1]!)) throw rangeError('xTemplate', t, 'at least two distinct values');
  if (!Number.isFinite(setup.mu) || !(setup.sigma >= MIN_SIGMA) || !Number.isFinite(setup.sigma)) {
    throw rangeError('sigma', setup.sigma, `finite and >= ${MIN_SIGMA} (with a finite mu)`);
  }
  if (setup.kind === 'empirical' && !setup.pool) throw typeError('pool', setup.pool, 'a resolved pool for the empirical generator');
}

/** TypeScript mirror of native Generator. */
export class Generator {
  readonly n: number;
  readonly kind: GeneratorName;
  /** Sum of t^3 - t over the x tie groups. */
  readonly xTies: number;
  private readonly setup: GeneratorSetup;
  private readonly tmplRank2: Int32Array;
  private readonly tmplA: Float64Array;
  private readonly noiseCentre: number;
  private readonly noiseScale: number;
  private readonly zClipLo: number;
  private readonly zClipHi: number;

  constructor(setup: GeneratorSetup) {
    const t = setup.xTemplate;
    const n = t.length;
    checkSetup(setup);
    this.setup = setup;
    this.n = n;
    this.kind = setup.kind;
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

    this.tmplA = new Float64Array(n);
    if (usesNoisePermutation(setup.kind)) {
      const sd = Math.sqrt((n * n * n - n - ties) / (12.0 * n));
      for (let p = 0; p < n; p++) this.tmplA[p] = (0.5 * this.tmplRank2[p]!) / sd;
    } else if (setup.kind === 'copula') {
      for (let p = 0; p < n; p++) this.tmplA[p] = (this.tmplRank2[p]! + n) / (2.0 * n);
    } else {
      let sum = 0;
      for (let p = 0; p < n; p++) sum += t[p]!;
      const mean = sum / n;
      let ss = 0;
      for (let p = 0; p < n; p++) ss += (t[p]! - mean) * (t[p]! - mean);
      const sd = Math.sqrt(ss / n);
      for (let p = 0; p < n; p++) this.tmplA[p] = sd <= 1e-12 ? 0.0 : (t[p]! - mean) / sd;
    }
    this.noiseCentre = (n + 1.0) / 2.0;
    this.noiseScale = Math.sqrt((n * n - 1.0) / 12.0);
    this.zClipLo = ndtri(COPULA_U_CLIP);
    this.zClipHi = ndtri(1.0 - COPULA_U_CLIP);
  }

  /** Stage 1: x and the signal components from the dataset's data stream. */
  drawParts(rng: Rng, parts: DatasetParts): void {
    const n = this.n;
    const { perm, x, xRank2, a, b } = parts;
    for (let i = 0; i < n; i++) perm[i] = i;
    rng.shuffle(perm, n);
    for (let i = 0; i < n; i++) {
      x[i] = this.setup.xTemplate[perm[i]!]!;
      xRank2[i] = this.tmplRank2[perm[i]!]!;
    }
    const kind = this.kind;
    if (usesNoisePermutation(kind)) {
      for (let i = 0; i < n; i++) b[i] = i + 1.0;
      rng.shuffle(b, n);
      for (let i = 0; i < n; i++) b[i] = b[i]! + (-NOISE_JITTER + 2 * NOISE_JITTER * rng.uniform());
      let centre = this.noiseCentre;
      let scale = this.noiseScale;
      if (this.setup.rowMoments) {
        let sum = 0;
        for (let i = 0; i < n; i++) sum += b[i]!;
        centre = sum / n;
        let ss = 0;
        for (let i = 0; i < n; i++) ss += (b[i]! - centre) * (b[i]! - centre);
        scale = Math.sqrt(ss / n);
      }
      for (let i = 0; i < n; i++) {
        b[i] = (b[i]! - centre) / scale;
        a[i] = this.tmplA[perm[i]!]!;
      }
    } else if (kind === 'copula') {
      for (let i = 0; i < n; i++) {
        let u = this.tmplA[perm[i]!]! + COPULA_JITTER_SD * rng.normal();
        u = u < COPULA_U_CLIP ? COPULA_U_CLIP : u > 1.0 - COPULA_U_CLIP ? 1.0 - COPULA_U_CLIP : u;
        a[i] = ndtri(u);
      }
      for (let i = 0; i < n; i++) b[i] = rng.normal();
    } else {
      for (let i = 0; i < n; i++) {
        a[i] = this.tmplA[perm[i]!]!;
        b[i] = rng.normal();
      }
    }

    const pool = this.setup.pool;
    if (kind === 'empirical' && pool) {
      const out = parts.pool;
      out.set(pool.fixed);
      let at = pool.fixed.length;
      for (let f = 0; f < pool.fillCount; f++) out[at++] = pool.fillSource[rng.bounded(pool.fillSource.length)]!;
      for (let f = 0; f < pool.logUniformCount; f++) out[at++] = exp(pool.logLo + pool.logSpan * rng.uniform());
      out.sort();
    }
  }

  /** signal[i] = a[i] * mix.a + b[i] * mix.b */
  signal(parts: DatasetParts, mix: Mix, out: Float64Array): void {
    const { a, b } = parts;
    for (let i = 0; i < this.n; i++) out[i] = a[i]! * mix.a + b[i]! * mix.b;
  }

  /** y from the signal: midranks (values = false; not for empirical) or values (drawn from rng). */
  finish(rng: Rng, parts: DatasetParts, signal: Float64Array, values: boolean, y: Float64Array): void {
    const n = this.n;
    if (!values) {
      if (this.kind === 'empirical') throw rankOnlyEmpiricalError();
      doubledCentredRanks(signal, y);
      const shift = n + 1.0;
      for (let i = 0; i < n; i++) y[i] = (y[i]! + shift) / 2;
      return;
    }
    const { mu, sigma } = this.setup;
    if (this.kind === 'nonparametric') {
      const draws = new Float64Array(n);
      for (let j = 0; j < n; j++) draws[j] = exp(mu + sigma * rng.normal());
      draws.sort();
      const order = stableOrder(signal);
      for (let j = 0; j < n; j++) y[order[j]!] = draws[j]!;
    } else if (this.kind === 'empirical') {
      const order = stableOrder(signal);
      for (let j = 0; j < n; j++) y[order[j]!] = parts.pool[j]!;
    } else if (this.kind === 'copula') {
      for (let i = 0; i < n; i++) {
        const s = signal[i]!;
        const z = s < this.zClipLo ? this.zClipLo : s > this.zClipHi ? this.zClipHi : s;
        y[i] = exp(mu + sigma * z);
      }
    } else {
      // log y = mu + sigma (rho_p x_std + sqrt(1 - rho_p^2) eps); see native for the spec's floor
      for (let i = 0; i < n; i++) y[i] = exp(mu + sigma * signal[i]!);
    }
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

function rankOnlyEmpiricalError(): SpearsimError {
  return new SpearsimError('ERR_UNSUPPORTED', 'rank-only y is invalid for the empirical generator (pool values tie); use values', {
    option: 'values',
    value: false,
    expected: 'true for the empirical generator',
  });
}

/** Datasets of a generator at one input rho. */
export interface GeneratedDatasets {
  /** count x n, dataset r at [r*n, r*n + n). */
  x: Float64Array;
  /** count x n y values (y midranks when `values` is false), same layout as x. */
  y: Float64Array;
  /** Which engine generated them. */
  engine: 'native' | 'typescript';
}

/** Most values (datasets x n) one generateDatasets call returns in memory. */
export const MAX_GENERATED_VALUES = 2 ** 27;

/** The shape of a GeneratorSetup (generateDatasets is public: a hand-made or junk setup is an error, not a TypeError). */
function checkSetupShape(setup: GeneratorSetup): void {
  const s = setup as unknown as Record<string, unknown> | null;
  const ok =
    s !== null && typeof s === 'object' && typeof s.kind === 'string' && s.kind in GENERATOR_CODES && s.structure !== null && typeof s.structure === 'object' &&
    s.xTemplate instanceof Float64Array && typeof s.rowMoments === 'boolean' && typeof s.mu === 'number' && typeof s.sigma === 'number' &&
    (s.kind !== 'empirical' || (s.pool !== null && typeof s.pool === 'object'));
  if (!ok) throw typeError('setup', setup, 'a generator setup from generatorSetup(scenario, generator, options)');
}

/**
 * Datasets repOffset .. repOffset + count - 1 of a generator at input `rho` (uncalibrated), each
 * from its own data stream under `baseKey`: the same bits on either engine.
 */
export function generateDatasets(
  setup: GeneratorSetup,
  request: { rho: number; values: boolean; baseKey: bigint; count: number; repOffset?: number },
  config: Pick<Config, 'native' | 'verbose'>,
): GeneratedDatasets {
  checkSetupShape(setup);
  if (request === null || typeof request !== 'object') throw typeError('request', request, 'an object { rho, values, baseKey, count, repOffset? }');
  if (config === null || typeof config !== 'object') throw typeError('config', config, 'an object { native, verbose }');
  const { rho, values, baseKey, count: datasets } = request;
  const repOffset = request.repOffset ?? 0;
  if (typeof rho !== 'number' || !(rho >= -1 && rho <= 1)) throw rangeError('rho', rho, 'a number in [-1, 1]');
  if (typeof datasets !== 'number' || !Number.isInteger(datasets) || datasets < 1) throw rangeError('count', datasets, 'an integer >= 1');
  // x and y of every dataset are returned at once (two typed arrays of count * n doubles)
  const maxDatasets = Math.floor(MAX_GENERATED_VALUES / setup.xTemplate.length);
  if (datasets > maxDatasets) throw rangeError('count', datasets, `an integer in [1, ${maxDatasets}] (count * n <= ${MAX_GENERATED_VALUES})`);
  if (typeof values !== 'boolean') throw typeError('values', values, 'a boolean');
  if (typeof baseKey !== 'bigint' || baseKey < 0n || baseKey >= 2n ** 64n) throw rangeError('baseKey', baseKey, 'a BigInt in [0, 2^64)');
  if (typeof repOffset !== 'number' || !Number.isSafeInteger(repOffset) || repOffset < 0) throw rangeError('repOffset', repOffset, 'an integer >= 0');
  if (!values && setup.kind === 'empirical') throw rankOnlyEmpiricalError();
  const mix = mixAt(setup.kind, rho);
  const addon = engine(config);
  if (addon) {
    const out = callSync(() =>
      addon.generateDatasets({ generator: nativeGeneratorSpec(setup), mixA: mix.a, mixB: mix.b, values, baseKey, repOffset, count: datasets }),
    );
    return { ...out, engine: 'native' };
  }
  const gen = new Generator(setup);
  const n = gen.n;
  const x = new Float64Array(datasets * n);
  const y = new Float64Array(datasets * n);
  const parts = newDatasetParts(n);
  for (let r = 0; r < datasets; r++) {
    const rng = new Rng(repStreamKey(baseKey, repOffset + r, STREAM_DATA));
    gen.generate(rng, mix, values, parts, x.subarray(r * n, r * n + n), y.subarray(r * n, r * n + n));
  }
  return { x, y, engine: 'typescript' };
}
