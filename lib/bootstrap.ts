/**
 * Bootstrap of Spearman's rho: percentile, basic and BCa intervals for one real dataset, and the
 * percentile bootstrap in batch over many datasets (the expected CI averaged over reps, spec 06).
 * @module
 */
import { type CallControls, type Config, type OptionKey, checkControls, resolveConfig } from './config';
import { SpearsimError, rangeError, typeError } from './errors';
import { INTERVAL_METHODS, type IntervalMethod, type IntervalWarningCode, fromPercentiles, intervalFromDistribution, jackknifeRhos } from './intervals';
import { warn } from './internal/log';
import { oneOf } from './internal/options';
import { type BootstrapSource, type RepSummaryStats, runBootstrap, summariseReps } from './internal/bootstrap-engine';
import type { RepArrays } from './internal/native';
import { checkNotConstant, checkPair, finiteVector } from './internal/validate';
import { type Provenance, provenance } from './provenance';
import { identityKey } from './streams';

/** Options that shape a bootstrap result (reported in its provenance). */
export const BOOTSTRAP_OPTION_KEYS = [
  'nBoot', 'alpha', 'seed', 'threads', 'memoryLimit', 'chunkResamples', 'native', 'batchBootstrap', 'vectorize', 'verbose',
] as const satisfies readonly OptionKey[];

/** Engine options accepted by the bootstrap entry points. */
export type BootstrapOptions = Partial<Pick<Config, (typeof BOOTSTRAP_OPTION_KEYS)[number]>> & CallControls;

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
export type BootstrapCIOptions = BootstrapOptions & {
  /** `percentile` (default), `basic` or `bca` (bias-corrected and accelerated). */
  method?: IntervalMethod;
};

/** Result of {@link bootstrapCI}. */
export interface BootstrapCIResult {
  /** Spearman's rho of the data. */
  rho: number;
  /** Lower endpoint of the 1 - alpha interval. */
  ciLower: number;
  /** Upper endpoint of the 1 - alpha interval. */
  ciUpper: number;
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

/** Most datasets one bootstrapBatch call takes (inputs are held in memory; see ciBootstrap for more). */
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
  const config = resolveConfig(options);
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

/**
 * Bootstrap CI of Spearman's rho for one dataset (x, y): `nBoot` resamples of the pairs, degenerate
 * resamples dropped (departure 8), then the interval of `options.method`:
 *
 * - `percentile`: type-7 quantiles at alpha/2 and 1 - alpha/2 of the resample values;
 * - `basic`: 2 rho - Q(1 - alpha/2), 2 rho - Q(alpha/2), clipped to [-1, 1];
 * - `bca`: bias-corrected and accelerated (z0 from the share of resamples below rho, ties counted
 *   half; acceleration from the exact jackknife). Where BCa is undefined (all resamples equal, rho
 *   outside every resample, a leave-one-out dataset with constant x or y, zero jackknife variance)
 *   the percentile interval is returned with `method: 'percentile'` and a `warning`.
 *
 * For one seed every method sees the same resamples.
 */
export async function bootstrapCI(x: ArrayLike<number>, y: ArrayLike<number>, options: BootstrapCIOptions = {}): Promise<BootstrapCIResult> {
  const [result] = await bootstrapCIs(x, y, undefined, options);
  return result!;
}

/**
 * Bootstrap CIs of one dataset by several methods from one bootstrap run (the same resamples);
 * `methods` undefined = `[options.method]`.
 * @internal
 */
export async function bootstrapCIs(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  methodList: readonly IntervalMethod[] | undefined,
  options: BootstrapCIOptions = {},
): Promise<BootstrapCIResult[]> {
  const config = resolveConfig(options, ['method']);
  const methods = methodList ?? [oneOf('method', options.method, INTERVAL_METHODS, 'percentile')];
  const controls = checkControls(options);
  const xv = finiteVector('x', x);
  const yv = finiteVector('y', y);
  checkPair(xv, yv);
  checkNotConstant('x', xv);
  checkNotConstant('y', yv);
  const keepRhos = methods.includes('bca');
  const run = await runBootstrap(
    storedSource(xv, yv, xv.length),
    { nReps: 1, nBoot: config.nBoot, alpha: config.alpha, baseKey: identityKey(config.seed, { task: 'bootstrap-data' }), keepRhos },
    config,
    controls,
  );
  if (run.reps.dropped[0] === config.nBoot) {
    throw new SpearsimError(
      'ERR_OUT_OF_RANGE',
      `all ${config.nBoot} bootstrap resamples had a constant x or y, so no interval exists; raise nBoot (n = ${xv.length} is very small)`,
      { option: 'nBoot', value: config.nBoot, expected: 'enough resamples for at least one with non-constant x and y' },
    );
  }
  const rho = run.reps.rhoHat[0]!;
  const sorted = run.reps.rhos?.filter((v) => !Number.isNaN(v)).sort();
  let jack: Float64Array | undefined;
  const prov = provenance(config, run.engine, BOOTSTRAP_OPTION_KEYS);
  return methods.map((requested) => {
    const interval =
      requested === 'bca'
        ? intervalFromDistribution('bca', sorted!, rho, config.alpha, () => (jack ??= jackknifeRhos(xv, yv)))
        : fromPercentiles(requested, run.reps.lo[0]!, run.reps.hi[0]!, rho);
    if (interval.warning) warn(config.verbose, `bootstrapCI: ${interval.warning}`, interval.warningCode);
    const { lower, upper, method, ...details } = interval;
    return {
      rho,
      ciLower: lower,
      ciUpper: upper,
      method,
      requestedMethod: requested,
      nBoot: config.nBoot,
      alpha: config.alpha,
      dropped: run.reps.dropped[0]!,
      ...details,
      provenance: prov,
    };
  });
}
