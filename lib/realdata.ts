/**
 * Spearman's rho and its tests for a real dataset (ties in x and/or y): the exact statistic, and
 * p-values by permutation (exact enumeration, the precomputed null of x's tie structure, or Monte
 * Carlo), by the t approximation, or by the normal approximation. Bootstrap CIs of a real dataset
 * are {@link bootstrapCI} (lib/bootstrap.ts).
 * @module
 */
import { type CallControls, type Config, checkControls, resolveConfig } from './config';
import { rangeError, throwIfAborted, typeError } from './errors';
import { oneOf } from './internal/options';
import { type NanPolicy, nanPolicyOf, pairedData } from './internal/paired-data';
import { type Alternative, TEST_METHODS, type TestMethod, pvalueMethodOf } from './pvalue-methods/registry';
import { type Provenance, provenance } from './provenance';
import { countThresholds, permutationTestCount, permutationTestInput, rankedPair } from './permutation-test';
import { type NullSource, PVALUE_TOLERANCE, Yielder, ensureNull, nullPvalue } from './pvalues';
import { rhoFromExact, spearmanOf } from './ranks';
import type { TieStructure } from './scenario';
import { identityKey } from './streams';

export type { Alternative, TestMethod } from './pvalue-methods/registry';

/** How a permutation p-value was obtained. */
export type PermutationKind = 'exact' | 'precomputed-null' | 'monte-carlo';

const ALTERNATIVES: readonly Alternative[] = ['two-sided', 'greater', 'less'];
const TEST_KEYS = ['alternative', 'method', 'reuseNull', 'nanPolicy'] as const;
/** Most arrangements `method: 'exact'` enumerates (n! <= 1e8, i.e. n <= 11). */
export const MAX_EXACT_PERMUTATIONS = 1e8;

/** Options of {@link spearmanTest}. */
export type SpearmanTestOptions = Partial<Pick<Config, 'nPerm' | 'nPre' | 'seed' | 'native' | 'threads' | 'memoryLimit' | 'cacheDir' | 'saveCache' | 'verbose'>> &
  CallControls & {
    /** `two-sided` (default), `greater` or `less`. */
    alternative?: Alternative;
    /**
     * `permutation` (default), `exact` (all n! arrangements, n <= 11), `t` (Student t, n - 2 df) or
     * `asymptotic` (normal, z = rho sqrt(n - 1)).
     */
    method?: TestMethod;
    /** A NaN in x or y: `raise` (default, an ERR_NAN_INPUT error), `omit` (drop the pair) or `propagate` (NaN result). */
    nanPolicy?: NanPolicy;
    /**
     * Use the precomputed permutation null of x's tie structure (cached in memory and, with
     * cacheDir, on disk; built once if missing) when it applies: two-sided, y without ties and
     * as many permutations as the null has (nPerm 0 or nPerm = nPre). Default true.
     */
    reuseNull?: boolean;
  };

/** Details of a permutation p-value. */
export interface PermutationDetails {
  /** `exact`: all n! permutations; `precomputed-null`: the null of x's tie structure; `monte-carlo`: random permutations. */
  kind: PermutationKind;
  /** Permutations behind the p-value (n! when exact). */
  count: number;
  /** precomputed-null only: where the null came from. */
  nullSource?: NullSource;
}

/** Result of {@link spearmanTest}. */
export interface SpearmanTestResult {
  /** Spearman's rho (Pearson correlation of midranks). */
  rho: number;
  /** Number of pairs used (after nanPolicy 'omit'). */
  n: number;
  /** Pairs dropped for a NaN under nanPolicy 'omit' (0 otherwise). */
  nanOmitted: number;
  /** Whether the p-value is exact: full enumeration of all n! arrangements of y against x. */
  exact: boolean;
  /** The p-value under the alternative. */
  pValue: number;
  /**
   * Monte Carlo standard error of the p-value: sqrt(p (1 - p) / count) for a p-value from `count`
   * random permutations (Monte Carlo or the precomputed null); 0 where no sampling is involved
   * (exact enumeration, `t`, `asymptotic`); NaN with the p-value.
   */
  pValueSe: number;
  /** The alternative hypothesis tested. */
  alternative: Alternative;
  /** How the p-value was computed. */
  method: TestMethod;
  /** The test statistic: rho (permutation), t (t) or z (asymptotic). */
  statistic: number;
  /** Degrees of freedom (t only). */
  df?: number;
  /** Permutation only. */
  permutation?: PermutationDetails;
  /** Seed, options and engine behind the result. */
  provenance: Provenance;
}

/**
 * Spearman's rho of x and y: the Pearson correlation of midranks (ties averaged), computed exactly
 * from integer rank sums. Throws ERR_OUT_OF_RANGE when x or y is constant (rho is undefined) and
 * for fewer than 3 pairs; a NaN follows `nanPolicy` (default `raise`: ERR_NAN_INPUT; `omit` drops
 * the pair; `propagate` returns NaN).
 */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>, options: { nanPolicy?: NanPolicy } = {}): number {
  if (options === null || typeof options !== 'object') throw typeError('options', options, 'an object');
  const data = pairedData(x, y, nanPolicyOf(options.nanPolicy));
  return data.propagateNaN ? NaN : spearmanOf(data.x, data.y);
}

/** Whether a permutation value counts towards the p-value (the tolerance of docs/methods.md, "P-values and power"). */
function extremeTest(alternative: Alternative, rho: number): (rhoPerm: number) => boolean {
  if (alternative === 'greater') return (r) => r >= rho - PVALUE_TOLERANCE;
  if (alternative === 'less') return (r) => r <= rho + PVALUE_TOLERANCE;
  const threshold = Math.abs(rho) - PVALUE_TOLERANCE;
  return (r) => Math.abs(r) >= threshold;
}

function factorial(n: number): number {
  let f = 1;
  for (let i = 2; i <= n; i++) f *= i;
  return f;
}

/**
 * Exact permutation count over all n! arrangements of y against x (Heap's algorithm; each step
 * swaps two entries, so sxy4 is updated in O(1) with exact integers).
 */
async function exactCount(
  rx: Float64Array,
  ry: Float64Array,
  tiesX: number,
  tiesY: number,
  extreme: (r: number) => boolean,
  signal: AbortSignal | undefined,
): Promise<number> {
  // up to nPre (<= 1e8) permutations: yield every ~15 ms so timers, progress and aborts still work
  const yielder = new Yielder(signal);
  let steps = 0;
  const n = rx.length;
  const a = Float64Array.from(ry);
  let sxy4 = 0;
  for (let i = 0; i < n; i++) sxy4 += rx[i]! * a[i]!;
  let count = extreme(rhoFromExact(sxy4, n, tiesX, tiesY)) ? 1 : 0;
  const c = new Uint32Array(n);
  let i = 1;
  while (i < n) {
    if (c[i]! < i) {
      const j = i % 2 === 0 ? 0 : c[i]!;
      sxy4 += (rx[j]! - rx[i]!) * (a[i]! - a[j]!);
      const t = a[i]!;
      a[i] = a[j]!;
      a[j] = t;
      if (extreme(rhoFromExact(sxy4, n, tiesX, tiesY))) count++;
      c[i]!++;
      i = 1;
      if ((++steps & 0xffff) === 0 && yielder.due()) await yielder.pause();
    } else {
      c[i] = 0;
      i++;
    }
  }
  return count;
}

/**
 * Monte Carlo standard error of a p-value from `count` random permutations: the binomial
 * sqrt(p (1 - p) / count) at the reported p = (1 + N)/(1 + count), which never reaches 0, so a
 * p-value at the resampling floor still shows its uncertainty (docs/methods.md, "Real data").
 */
function resampledPvalueSe(pValue: number, count: number): number {
  return Math.sqrt((pValue * (1 - pValue)) / count);
}

/**
 * Test of H0: no association between x and y, by Spearman's rho with ties in x and/or y.
 *
 * - `permutation` (default): p over permutations of y against x, counting
 *   |rho_perm| >= |rho| - 1e-12 (two-sided), rho_perm >= rho - 1e-12 (greater) or
 *   rho_perm <= rho + 1e-12 (less) (docs/methods.md, "P-values and power"). With m = nPerm (0 = nPre) permutations:
 *   exact enumeration of all n! arrangements when n! <= m (p = count / n!); else the precomputed
 *   null of x's tie structure when it applies (see `reuseNull`; p = (1 + N)/(1 + nPre)); else m
 *   Monte Carlo permutations from the seed (p = (1 + N)/(1 + m)). `exact: true` in the result
 *   says the p-value came from full enumeration.
 * - `exact`: full enumeration of all n! arrangements whatever nPerm (n <= 11, else
 *   ERR_OUT_OF_RANGE); p = count / n!, `exact: true`.
 * - `t`: t = rho sqrt((n - 2)/(1 - rho^2)) against Student t with n - 2 df (scipy's spearmanr);
 *   anticonservative under heavy ties.
 * - `asymptotic`: z = rho sqrt(n - 1) against the standard normal. Under permutation the variance of
 *   rho is exactly 1/(n - 1) whatever the ties (docs/methods.md, "Departures from the reference"), so no tie correction applies.
 */
export async function spearmanTest(x: ArrayLike<number>, y: ArrayLike<number>, options: SpearmanTestOptions = {}): Promise<SpearmanTestResult> {
  const config = resolveConfig(options, TEST_KEYS);
  const controls = checkControls(options);
  throwIfAborted(controls.signal);
  const alternative = oneOf('alternative', options.alternative, ALTERNATIVES, 'two-sided');
  const method = oneOf('method', options.method, TEST_METHODS, 'permutation');
  if (options.reuseNull !== undefined && typeof options.reuseNull !== 'boolean') throw typeError('reuseNull', options.reuseNull, 'a boolean');
  const data = pairedData(x, y, nanPolicyOf(options.nanPolicy));
  const { x: xv, y: yv } = data;
  const n = xv.length;
  if (data.propagateNaN) {
    return { rho: NaN, n, nanOmitted: 0, exact: false, alternative, method, pValue: NaN, pValueSe: NaN, statistic: NaN, provenance: provenance(config, 'typescript', ['seed']) };
  }
  const ranked = await rankedPair(xv, yv, controls.signal);
  const { rho, rx, ry, tiesX, tiesY, xCounts: counts } = ranked;
  const base = { rho, n, nanOmitted: data.omitted, exact: false, alternative, method };
  const closedForm = pvalueMethodOf(method).closedForm;
  if (closedForm) return { ...base, ...closedForm(rho, n, alternative), pValueSe: 0, provenance: provenance(config, 'typescript', ['seed']) };

  const m = config.nPerm > 0 ? config.nPerm : config.nPre;
  const extreme = extremeTest(alternative, rho);
  const keys = ['nPerm', 'nPre', 'seed', 'native', 'cacheDir'] as const;
  const nFactorial = factorial(n);
  if (method === 'exact' && nFactorial > MAX_EXACT_PERMUTATIONS) {
    throw rangeError('method', method, `'permutation' for n = ${n}: exact enumeration of all n! arrangements needs n <= 11 (n! <= ${MAX_EXACT_PERMUTATIONS})`);
  }
  if (method === 'exact' || nFactorial <= m) {
    const count = await exactCount(rx, ry, tiesX, tiesY, extreme, controls.signal);
    return {
      ...base, exact: true, pValue: count / nFactorial, pValueSe: 0, statistic: rho, permutation: { kind: 'exact', count: nFactorial },
      provenance: provenance(config, 'typescript', keys),
    };
  }
  // The null is built for untied y (docs/methods.md, "P-values and power"): only then is it exactly this test's null.
  if (options.reuseNull !== false && alternative === 'two-sided' && tiesY === 0 && m === config.nPre) {
    const structure: TieStructure = { n, counts, allDistinct: counts.length === n };
    const got = await ensureNull(structure, config, controls);
    const pValue = nullPvalue(got.sortedAbs, rho);
    return {
      ...base,
      pValue,
      pValueSe: resampledPvalueSe(pValue, config.nPre),
      statistic: rho,
      permutation: { kind: 'precomputed-null', count: config.nPre, nullSource: got.source },
      provenance: provenance(config, got.engine ?? 'typescript', keys),
    };
  }
  const testKey = identityKey(config.seed, { task: 'spearman-test', n, algo: 'blocks-v1' });
  const thresholds = countThresholds(alternative, rho, n, tiesX, tiesY);
  const mc = await permutationTestCount(permutationTestInput(ranked, testKey, m, thresholds), config, controls);
  const pValue = (1 + mc.count) / (1 + m);
  return {
    ...base,
    pValue,
    pValueSe: resampledPvalueSe(pValue, m),
    statistic: rho,
    permutation: { kind: 'monte-carlo', count: m },
    provenance: provenance(config, mc.engine, keys),
  };
}
