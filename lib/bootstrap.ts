/**
 * Bootstrap of Spearman's rho for one real dataset (the resample distribution as an object, and
 * any registered interval computed from it without resampling again), and the percentile bootstrap
 * in batch over many datasets (docs/methods.md, "Bootstrap confidence intervals").
 * @module
 */
import { type CallControls, type Config, type OptionKey, checkControls, resolveConfig, unknownOptionError } from './config';
import { SpearsimError, rangeError, typeError } from './errors';
import { INTERVAL_METHODS, type IntervalMethod, intervalFromDistribution, intervalMethodOf } from './interval-methods/registry';
import { type Interval, type IntervalWarningCode, fromPercentiles } from './intervals';
import { jackknifeRhos, jackknifeSync } from './jackknife';
import { type NanPolicy, nanPolicyOf, pairedData } from './internal/paired-data';
import { warn } from './internal/log';
import { oneOf } from './internal/options';
import { type BootstrapSource, RESAMPLES_PER_STREAM, type RepSummaryStats, runBootstrap, summariseReps } from './internal/bootstrap-engine';
import type { RepArrays } from './internal/native';
import { checkPair, finiteVector } from './internal/validate';
import { type Provenance, provenance } from './provenance';
import { identityKey } from './streams';

/** Options that shape a bootstrap result (reported in its provenance). */
export const BOOTSTRAP_OPTION_KEYS = [
  'nBoot', 'alpha', 'seed', 'threads', 'memoryLimit', 'chunkResamples', 'native', 'batchBootstrap', 'vectorize', 'verbose',
] as const satisfies readonly OptionKey[];

/** Engine options accepted by the bootstrap entry points. */
export type BootstrapOptions = Partial<Pick<Config, (typeof BOOTSTRAP_OPTION_KEYS)[number]>> &
  CallControls & {
    /** The interval level 1 - alpha, as R and scipy write it (e.g. 0.95); give it or `alpha`. */
    confidenceLevel?: number;
  };

/** Options of {@link bootstrap}: the engine options plus the missing-value policy. */
export type BootstrapDataOptions = BootstrapOptions & {
  /** A NaN in x or y: `raise` (default, an ERR_NAN_INPUT error), `omit` (drop the pair) or `propagate` (NaN result). */
  nanPolicy?: NanPolicy;
};

/** Engine options an extension may change (the seed, the level and the data stay the previous result's). */
export const EXTEND_BOOTSTRAP_OPTION_KEYS = ['threads', 'memoryLimit', 'chunkResamples', 'native', 'batchBootstrap', 'vectorize', 'verbose'] as const satisfies readonly OptionKey[];

/** Options of {@link extendBootstrap}. */
export type ExtendBootstrapOptions = Partial<Pick<Config, (typeof EXTEND_BOOTSTRAP_OPTION_KEYS)[number]>> &
  CallControls & {
    /** Resamples of the extended result, more than the previous result's. */
    nBoot: number;
  };

/** Per-rep bootstrap results. */
export interface RepResults {
  /** Lower percentile endpoint of each rep. */
  lo: Float64Array;
  /** Upper percentile endpoint of each rep. */
  hi: Float64Array;
  /** Spearman's rho of each dataset itself. */
  rhoHat: Float64Array;
  /** Degenerate resamples dropped in each rep. */
  dropped: Uint32Array;
}

/** Result of {@link bootstrapBatch}. */
export interface BatchBootstrapResult extends RepSummaryStats {
  /** Datasets bootstrapped. */
  nReps: number;
  /** Bootstrap resamples per dataset. */
  nBoot: number;
  /** Miscoverage: each percentile interval has level 1 - alpha. */
  alpha: number;
  /** Resamples per boot-index buffer fill chosen from memoryLimit (results never depend on it). */
  chunkResamples: number;
  /** Per-dataset results, in dataset order. */
  reps: RepResults;
  /** Seed, options and engine behind the result. */
  provenance: Provenance;
}

/** Options of {@link bootstrapCI}: the engine options plus the interval method. */
export type BootstrapCIOptions = BootstrapDataOptions & {
  /** `percentile` (default), `basic` or `bca` (bias-corrected and accelerated): see INTERVAL_METHODS. */
  method?: IntervalMethod;
};

/**
 * A bootstrap of one dataset: the resample distribution (as R's `boot` and scipy's
 * `bootstrap_distribution` keep it) and what BCa's jackknife needs. Pass it to
 * {@link bootstrapInterval} for any method or level without resampling again.
 */
export interface BootstrapResult {
  /** Spearman's rho of the data. */
  rho: number;
  /** Pairs used (after nanPolicy 'omit'). */
  n: number;
  /** Resamples drawn. */
  nBoot: number;
  /** Every resample's rho in resample order; NaN where the resample had a constant x or y. */
  distribution: Float64Array;
  /** Degenerate resamples (NaN in `distribution`). */
  dropped: number;
  /** Pairs dropped for a NaN under nanPolicy 'omit' (0 otherwise). */
  nanOmitted: number;
  /** The level the bootstrap was asked for (the default of {@link bootstrapInterval}). */
  alpha: number;
  /** Copies of the data pairs used (for the jackknife of BCa). */
  data: {
    /** x of the pairs used. */
    x: Float64Array;
    /** y of the pairs used. */
    y: Float64Array;
  };
  /** Seed, options and engine behind the result. */
  provenance: Provenance;
}

/** Options of {@link bootstrapInterval}. */
export interface BootstrapIntervalOptions {
  /** Interval method (default `percentile`). */
  method?: IntervalMethod;
  /** Miscoverage (default: the bootstrap's alpha). */
  alpha?: number;
  /** Level 1 - alpha, instead of alpha. */
  confidenceLevel?: number;
  /** Warnings on stderr: 0 none, 1 (default) yes. */
  verbose?: number;
}

/** Result of {@link bootstrapCI}. */
export interface BootstrapCIResult {
  /** Spearman's rho of the data. */
  rho: number;
  /** Lower endpoint of the 1 - alpha interval. */
  ciLower: number;
  /** Upper endpoint of the 1 - alpha interval. */
  ciUpper: number;
  /**
   * Monte Carlo standard error of `ciLower` from the finite nBoot (order-statistic rule at the
   * endpoint's quantile level; BCa: at its adjusted level). More resamples shrink it as 1/sqrt(nBoot).
   */
  ciLowerSe: number;
  /** Monte Carlo standard error of `ciUpper`, as `ciLowerSe`. */
  ciUpperSe: number;
  /** The method that produced the endpoints: `requestedMethod`, or `percentile` where BCa is undefined (see `warning`). */
  method: IntervalMethod;
  /** The method asked for. */
  requestedMethod: IntervalMethod;
  /** Bootstrap resamples drawn. */
  nBoot: number;
  /** Miscoverage: the interval has level 1 - alpha. */
  alpha: number;
  /** Degenerate resamples (constant x or y) dropped before the percentiles. */
  dropped: number;
  /** BCa: bias correction z0 = Phi^-1(share of resamples below rho, ties counted half). */
  z0?: number;
  /** BCa: acceleration from the jackknife, sum d^3 / (6 (sum d^2)^1.5). */
  acceleration?: number;
  /** BCa: the adjusted quantile levels of the endpoints. */
  levels?: [number, number];
  /** The interval level 1 - alpha. */
  confidenceLevel: number;
  /** Pairs dropped for a NaN under nanPolicy 'omit' (0 otherwise). */
  nanOmitted: number;
  /** Set when the requested method could not be used (BCa undefined). */
  warning?: string;
  /** Stable code of `warning` (`SPEARSIM_BCA_UNDEFINED` when BCa fell back to the percentile). */
  warningCode?: IntervalWarningCode;
  /** Seed, options and engine behind the result. */
  provenance: Provenance;
}

/** Datasets held in memory: rep r is x[r*n .. r*n + n). */
export function storedSource(x: Float64Array, y: Float64Array, n: number): BootstrapSource {
  return {
    n,
    inputBytes: x.byteLength + y.byteLength,
    fill(rep, xOut, yOut) {
      xOut.set(x.subarray(rep * n, rep * n + n));
      yOut.set(y.subarray(rep * n, rep * n + n));
    },
    startNative(addon, spec, token, onProgress) {
      const from = spec.repOffset * n;
      const to = from + spec.nReps * n;
      // views, not copies: the binding copies the inputs into the job before it returns
      return addon.bootstrapStored({ ...spec, x: x.subarray(from, to), y: y.subarray(from, to), n }, token, onProgress);
    },
  };
}

/** Most datasets one bootstrapBatch call takes (inputs are held in memory; see expectedCI for more). */
export const MAX_STORED_REPS = 10_000_000;

function flatten(option: string, rows: unknown): { data: Float64Array; n: number; count: number } {
  if (!Array.isArray(rows) || rows.length === 0) throw typeError(option, rows, 'a non-empty array of datasets');
  if (rows.length > MAX_STORED_REPS) throw rangeError(`${option}.length`, rows.length, `at most ${MAX_STORED_REPS} datasets`);
  // Array.from visits holes too, so a sparse array is an error on its first hole
  const vectors = Array.from(rows, (row: unknown, r) => finiteVector(`${option}[${r}]`, row));
  const n = vectors[0]!.length;
  const data = new Float64Array(n * vectors.length);
  vectors.forEach((v, r) => {
    if (v.length !== n) throw rangeError(`${option}[${r}].length`, v.length, `${n} (the length of ${option}[0])`);
    data.set(v, r * n);
  });
  return { data, n, count: vectors.length };
}

/**
 * Percentile bootstrap CI of Spearman's rho for each of many datasets, and the averages over them.
 * `x[r]`, `y[r]` is dataset r. Rep r's bootstrap stream is derived from the seed and r only.
 */
export async function bootstrapBatch(
  x: ArrayLike<number>[],
  y: ArrayLike<number>[],
  options: BootstrapOptions = {},
): Promise<BatchBootstrapResult> {
  const config = resolveConfig(options, [], process.env, BOOTSTRAP_OPTION_KEYS);
  const controls = checkControls(options);
  const xs = flatten('x', x);
  const ys = flatten('y', y);
  if (xs.count !== ys.count) throw rangeError('y.length', ys.count, `${xs.count} datasets (as many as x)`);
  checkPair(xs.data.subarray(0, xs.n), ys.data.subarray(0, ys.n));
  if (xs.n !== ys.n) throw rangeError('y[0].length', ys.n, `${xs.n} (the length of x[0])`);
  const run = await runBootstrap(
    storedSource(xs.data, ys.data, xs.n),
    { nReps: xs.count, nBoot: config.nBoot, alpha: config.alpha, baseKey: identityKey(config.seed, { task: 'bootstrap-batch' }) },
    config,
    controls,
  );
  return batchResult(run.reps, config, run.chunkResamples, provenance(config, run.engine, BOOTSTRAP_OPTION_KEYS));
}

/** Assembles a batch result from per-rep arrays. */
export function batchResult(reps: RepArrays, config: Config, chunkResamples: number, prov: Provenance): BatchBootstrapResult {
  return {
    ...summariseReps(reps),
    nReps: reps.lo.length,
    nBoot: config.nBoot,
    alpha: config.alpha,
    chunkResamples,
    reps,
    provenance: prov,
  };
}

/** 1 - alpha, rounded as the level was likely written (0.95, not 0.95000000000000004). */
function levelOf(alpha: number): number {
  return Number((1 - alpha).toPrecision(15));
}

const JACKKNIFE_PENDING = Symbol('jackknife');

/** The BootstrapCIResult of one interval. */
function ciResult(
  interval: Interval,
  requested: IntervalMethod,
  common: { rho: number; nBoot: number; alpha: number; dropped: number; nanOmitted: number; provenance: Provenance },
  verbose: number,
): BootstrapCIResult {
  if (interval.warning) warn(verbose, `bootstrapCI: ${interval.warning}`, interval.warningCode);
  const { lower, upper, lowerSe, upperSe, method, ...details } = interval;
  const { provenance: prov, ...rest } = common;
  return {
    ...rest, ciLower: lower, ciUpper: upper, ciLowerSe: lowerSe ?? NaN, ciUpperSe: upperSe ?? NaN, method, requestedMethod: requested,
    confidenceLevel: levelOf(common.alpha), ...details, provenance: prov,
  };
}

/** A NaN result for nanPolicy 'propagate' with a NaN in the data (nothing is computed). */
function propagatedCI(requested: IntervalMethod, config: Config): BootstrapCIResult {
  return {
    rho: NaN, ciLower: NaN, ciUpper: NaN, ciLowerSe: NaN, ciUpperSe: NaN, method: requested, requestedMethod: requested, nBoot: config.nBoot, alpha: config.alpha,
    confidenceLevel: levelOf(config.alpha), dropped: 0, nanOmitted: 0, provenance: provenance(config, 'typescript', BOOTSTRAP_OPTION_KEYS),
  };
}

function allDegenerate(nBoot: number, n: number): SpearsimError {
  return new SpearsimError(
    'ERR_OUT_OF_RANGE',
    `all ${nBoot} bootstrap resamples had a constant x or y, so no interval exists; raise nBoot (n = ${n} is very small)`,
    { option: 'nBoot', value: nBoot, expected: 'enough resamples for at least one with non-constant x and y' },
  );
}

/**
 * Bootstrap of Spearman's rho for one dataset (x, y): `nBoot` resamples of the pairs, the resample
 * distribution kept. Rep 0 of the data stream of the seed, so for one seed the distribution is
 * the one every {@link bootstrapCI} method sees. Degenerate resamples (constant x or y) are NaN in
 * `distribution` and dropped before any interval (docs/methods.md, "Bootstrap confidence
 * intervals"). With nanPolicy 'propagate' and a NaN in the data, rho and every resample are NaN.
 */
export async function bootstrap(x: ArrayLike<number>, y: ArrayLike<number>, options: BootstrapDataOptions = {}): Promise<BootstrapResult> {
  const config = resolveConfig(options, ['nanPolicy'], process.env, BOOTSTRAP_OPTION_KEYS);
  const controls = checkControls(options);
  const data = pairedData(x, y, nanPolicyOf(options.nanPolicy));
  const prov = (engine: Provenance['engine']): Provenance => provenance(config, engine, BOOTSTRAP_OPTION_KEYS);
  if (data.propagateNaN) {
    return {
      rho: NaN, n: data.x.length, nBoot: config.nBoot, distribution: new Float64Array(config.nBoot).fill(NaN), dropped: config.nBoot, nanOmitted: 0,
      alpha: config.alpha, data: { x: data.x, y: data.y }, provenance: prov('typescript'),
    };
  }
  const run = await runBootstrap(
    storedSource(data.x, data.y, data.x.length),
    { nReps: 1, nBoot: config.nBoot, alpha: config.alpha, baseKey: identityKey(config.seed, { task: 'bootstrap-data' }), keepRhos: true },
    config,
    controls,
  );
  if (run.reps.dropped[0] === config.nBoot) throw allDegenerate(config.nBoot, data.x.length);
  return {
    rho: run.reps.rhoHat[0]!,
    n: data.x.length,
    nBoot: config.nBoot,
    distribution: run.reps.rhos!,
    dropped: run.reps.dropped[0]!,
    nanOmitted: data.omitted,
    alpha: config.alpha,
    data: { x: data.x, y: data.y },
    provenance: prov(run.engine),
  };
}

/** Checks that `previous` has the shape of a bootstrap() result. */
function checkBootstrapResult(previous: BootstrapResult): void {
  const ok =
    previous !== null && typeof previous === 'object' && previous.distribution instanceof Float64Array && previous.distribution.length === previous.nBoot &&
    previous.data?.x instanceof Float64Array && previous.data.y instanceof Float64Array && previous.data.x.length === previous.n && typeof previous.provenance?.seed === 'number';
  if (!ok) throw typeError('previous', previous, 'a result of bootstrap()');
}

/**
 * A {@link bootstrap} result grown to `options.nBoot` resamples without drawing its resamples
 * again: bit for bit the result of `bootstrap` with the larger nBoot and the same seed. Resamples
 * come in stream blocks of 256 (docs/methods.md, "Bootstrap confidence intervals"), so only the
 * previous result's last, partial block is drawn again, and it must match: a result that was
 * altered, or comes from other data, is refused. Intervals of the extension
 * ({@link bootstrapInterval}) use every resample.
 */
export async function extendBootstrap(previous: BootstrapResult, options: ExtendBootstrapOptions): Promise<BootstrapResult> {
  checkBootstrapResult(previous);
  if (options === null || typeof options !== 'object') throw typeError('options', options, 'an object { nBoot, ... }');
  for (const key of Object.keys(options)) {
    if (key === 'seed' || key === 'alpha' || key === 'confidenceLevel') {
      throw new SpearsimError('ERR_CONFLICTING_OPTIONS', `an extension keeps the previous result's ${key === 'seed' ? 'seed' : 'level'}; received ${key}`, {
        option: key,
        value: (options as unknown as Record<string, unknown>)[key],
        expected: key === 'seed' ? `the previous seed ${previous.provenance.seed} (omit it)` : 'omit it; bootstrapInterval takes any level',
      });
    }
    if (!['nBoot', 'signal', 'onProgress', ...EXTEND_BOOTSTRAP_OPTION_KEYS].includes(key)) throw unknownOptionError(key, ['nBoot', ...EXTEND_BOOTSTRAP_OPTION_KEYS]);
  }
  if (options.nBoot === undefined) throw typeError('nBoot', undefined, `an integer above the previous result's ${previous.nBoot}`);
  const config = resolveConfig({ ...options, seed: previous.provenance.seed, alpha: previous.alpha }, [], process.env, BOOTSTRAP_OPTION_KEYS);
  if (config.nBoot <= previous.nBoot) throw rangeError('nBoot', options.nBoot, `an integer above the previous result's ${previous.nBoot}`);
  const controls = checkControls(options);
  const extended = (distribution: Float64Array, engine: Provenance['engine']): BootstrapResult => ({
    ...previous,
    nBoot: config.nBoot,
    distribution,
    dropped: distribution.reduce((k, v) => k + (Number.isNaN(v) ? 1 : 0), 0),
    provenance: provenance(config, engine, BOOTSTRAP_OPTION_KEYS),
  });
  // nanPolicy 'propagate' with a NaN: every resample stays NaN
  if (Number.isNaN(previous.rho)) return extended(new Float64Array(config.nBoot).fill(NaN), previous.provenance.engine);
  const firstBlock = Math.floor(previous.nBoot / RESAMPLES_PER_STREAM);
  const start = firstBlock * RESAMPLES_PER_STREAM;
  const { x, y } = previous.data;
  const run = await runBootstrap(
    storedSource(x, y, x.length),
    { nReps: 1, nBoot: config.nBoot - start, alpha: config.alpha, baseKey: identityKey(config.seed, { task: 'bootstrap-data' }), keepRhos: true, firstBlock },
    config,
    controls,
  );
  const tail = run.reps.rhos!;
  for (let i = start; i < previous.nBoot; i++) {
    if (!Object.is(tail[i - start], previous.distribution[i])) {
      throw new SpearsimError('ERR_INVALID_TYPE', `previous is not an unaltered result of bootstrap() on its data: resample ${i} differs when drawn again`, {
        option: 'previous',
        expected: 'a result of bootstrap(), as returned',
      });
    }
  }
  const distribution = new Float64Array(config.nBoot);
  distribution.set(previous.distribution.subarray(0, start));
  distribution.set(tail, start);
  return extended(distribution, run.engine);
}

// sorted valid values and jackknife of a result, computed once however many intervals are asked for
const derived = new WeakMap<BootstrapResult, { sorted: Float64Array; jack: Float64Array | typeof JACKKNIFE_PENDING }>();

/**
 * An interval from a {@link bootstrap} result, without resampling (as `boot.ci` does): any
 * registered method, any level. The same resamples give the same interval as
 * {@link bootstrapCI} with the same seed, method and level.
 */
export function bootstrapInterval(result: BootstrapResult, options: BootstrapIntervalOptions = {}): BootstrapCIResult {
  if (result === null || typeof result !== 'object' || !(result.distribution instanceof Float64Array)) {
    throw typeError('result', result, 'a result of bootstrap()');
  }
  const config = resolveConfig({ alpha: options.alpha, confidenceLevel: options.confidenceLevel, verbose: options.verbose }, []);
  const alpha = options.alpha === undefined && options.confidenceLevel === undefined ? result.alpha : config.alpha;
  const method = oneOf('method', options.method, INTERVAL_METHODS, 'percentile');
  const common = { rho: result.rho, nBoot: result.nBoot, alpha, dropped: result.dropped, nanOmitted: result.nanOmitted, provenance: result.provenance };
  if (Number.isNaN(result.rho)) return ciResult({ lower: NaN, upper: NaN, method }, method, common, 0);
  let cached = derived.get(result);
  if (!cached) {
    cached = { sorted: result.distribution.filter((v) => !Number.isNaN(v)).sort(), jack: JACKKNIFE_PENDING };
    derived.set(result, cached);
  }
  const entry = cached;
  const jack = (): Float64Array => {
    // a synchronous call: the O(n log n) TypeScript jackknife on this thread
    if (entry.jack === JACKKNIFE_PENDING) entry.jack = jackknifeSync(result.data.x, result.data.y);
    return entry.jack;
  };
  return ciResult(intervalFromDistribution(method, entry.sorted, result.rho, alpha, jack), method, common, config.verbose);
}

/**
 * Bootstrap CI of Spearman's rho for one dataset (x, y): `nBoot` resamples of the pairs, degenerate
 * resamples dropped (docs/methods.md, "Bootstrap confidence intervals"), then the interval of
 * `options.method` (a registered method; see lib/interval-methods/):
 *
 * - `percentile`: type-7 quantiles at alpha/2 and 1 - alpha/2 of the resample values;
 * - `basic`: 2 rho - Q(1 - alpha/2), 2 rho - Q(alpha/2), clipped to [-1, 1];
 * - `bca`: bias-corrected and accelerated (z0 from the share of resamples below rho, ties counted
 *   half; acceleration from the exact jackknife). Where BCa is undefined (all resamples equal, rho
 *   outside every resample, a leave-one-out dataset with constant x or y, all jackknife values
 *   equal) the percentile interval is returned with `method: 'percentile'`, a `warning` and
 *   `warningCode: 'SPEARSIM_BCA_UNDEFINED'`.
 *
 * For one seed every method sees the same resamples. To compute several methods or levels from one
 * set of resamples, call {@link bootstrap} once and {@link bootstrapInterval} per interval.
 */
export async function bootstrapCI(x: ArrayLike<number>, y: ArrayLike<number>, options: BootstrapCIOptions = {}): Promise<BootstrapCIResult> {
  const [result] = await bootstrapCIs(x, y, undefined, options);
  return result!;
}

/**
 * Bootstrap CIs of one dataset by several methods from one bootstrap run (the same resamples);
 * `methods` undefined = `[options.method]`. Methods that read only the percentile pair at the
 * run's level take it, and its Monte Carlo SEs, from the engine without keeping the resample
 * values; with the values kept, every method reads them (SEs included) and the engine computes none.
 * @internal
 */
export async function bootstrapCIs(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  methodList: readonly IntervalMethod[] | undefined,
  options: BootstrapCIOptions = {},
): Promise<BootstrapCIResult[]> {
  const config = resolveConfig(options, ['method', 'nanPolicy'], process.env, BOOTSTRAP_OPTION_KEYS);
  const methods = methodList ?? [oneOf('method', options.method, INTERVAL_METHODS, 'percentile')];
  const controls = checkControls(options);
  const data = pairedData(x, y, nanPolicyOf(options.nanPolicy));
  if (data.propagateNaN) return methods.map((m) => propagatedCI(m, config));
  const keepRhos = methods.some((m) => intervalMethodOf(m).needs.distribution);
  const run = await runBootstrap(
    storedSource(data.x, data.y, data.x.length),
    { nReps: 1, nBoot: config.nBoot, alpha: config.alpha, baseKey: identityKey(config.seed, { task: 'bootstrap-data' }), keepRhos, endpointSe: !keepRhos },
    config,
    controls,
  );
  if (run.reps.dropped[0] === config.nBoot) throw allDegenerate(config.nBoot, data.x.length);
  const rho = run.reps.rhoHat[0]!;
  const sorted = run.reps.rhos?.filter((v) => !Number.isNaN(v)).sort();
  // O(n log n), cancellable, off the JS thread when native (computed even if BCa then falls back)
  const jack = methods.some((m) => intervalMethodOf(m).needs.jackknife) ? await jackknifeRhos(data.x, data.y, config, controls) : undefined;
  const common = {
    rho, nBoot: config.nBoot, alpha: config.alpha, dropped: run.reps.dropped[0]!, nanOmitted: data.omitted,
    provenance: provenance(config, run.engine, BOOTSTRAP_OPTION_KEYS),
  };
  return methods.map((requested) => {
    const interval =
      sorted !== undefined
        ? intervalFromDistribution(requested, sorted, rho, config.alpha, () => jack!)
        : fromPercentiles(requested as 'percentile' | 'basic', run.reps.lo[0]!, run.reps.hi[0]!, rho, { lo: run.reps.loSe![0]!, hi: run.reps.hiSe![0]! });
    return ciResult(interval, requested, common, config.verbose);
  });
}
