/**
 * The arithmetic shared by the bootstrap interval methods (lib/interval-methods/: one file per
 * method and their registry): the interval type, the percentile pair of a resample distribution,
 * and the BCa acceleration from the jackknife values of lib/jackknife.ts (docs/methods.md,
 * "Bootstrap confidence intervals").
 * @module
 */
import { quantileMcSe, quantileType7Sorted } from './internal/bootstrap-engine';
import type { IntervalMethod } from './interval-methods/registry';

export type { IntervalMethod } from './interval-methods/registry';

/** A bootstrap interval and how it was obtained. */
export interface Interval {
  /** Lower endpoint. */
  lower: number;
  /** Upper endpoint. */
  upper: number;
  /**
   * Monte Carlo standard error of `lower` from the finite number of resamples (order-statistic
   * rule at the endpoint's quantile level: quantileMcSe in lib/internal/bootstrap-engine.ts).
   */
  lowerSe?: number;
  /** Monte Carlo standard error of `upper`, as `lowerSe`. */
  upperSe?: number;
  /** The method that produced the endpoints (`percentile` when BCa was requested but undefined). */
  method: IntervalMethod;
  /** BCa only: bias correction z0 = ndtri(share of resamples below rho, ties counted half). */
  z0?: number;
  /** BCa only: jackknife acceleration a. */
  acceleration?: number;
  /** BCa only: the adjusted quantile levels used instead of alpha/2 and 1 - alpha/2. */
  levels?: [number, number];
  /** Why the requested method could not be used (then `method` says what was used instead). */
  warning?: string;
  /** Stable code of `warning`: one of {@link INTERVAL_WARNING_CODES}. */
  warningCode?: IntervalWarningCode;
}

/** Codes of interval warnings: BCa fell back to the percentile interval; no valid resample. */
export const INTERVAL_WARNING_CODES = ['SPEARSIM_BCA_UNDEFINED', 'SPEARSIM_BOOTSTRAP_DEGENERATE'] as const;
/** Code of an interval warning. */
export type IntervalWarningCode = (typeof INTERVAL_WARNING_CODES)[number];

/**
 * Relative spread below which the jackknife values count as all equal: each value is rho from
 * exact integers rounded once or twice, so values that agree to within a few ulps are equal up to
 * their own rounding, and their differences (from which a is formed) would be rounding noise.
 */
export const JACKKNIFE_EQUAL_ULPS = 8;

/** Whether every jackknife value is equal up to its rounding (zero jackknife variance). */
export function jackknifeConstant(jack: Float64Array): boolean {
  let min = Infinity;
  let max = -Infinity;
  for (const v of jack) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return max - min <= JACKKNIFE_EQUAL_ULPS * Number.EPSILON * Math.max(Math.abs(min), Math.abs(max));
}

/**
 * BCa acceleration a = sum d^3 / (6 (sum d^2)^(3/2)), d_i = mean(jack) - jack_i; NaN when
 * undefined (a NaN jackknife value, or zero jackknife variance decided by
 * {@link jackknifeConstant} rather than by whether float noise leaves sum d^2 > 0: with n equal
 * values the rounding of the mean alone gives a = +-1/(6 sqrt(n))).
 */
export function accelerationOf(jack: Float64Array): number {
  if (jack.length === 0 || jackknifeConstant(jack)) return NaN;
  let mean = 0;
  for (const v of jack) mean += v;
  mean /= jack.length;
  let s2 = 0;
  let s3 = 0;
  for (const v of jack) {
    const d = mean - v;
    s2 += d * d;
    s3 += d * d * d;
  }
  return s2 > 0 ? s3 / (6 * s2 ** 1.5) : NaN;
}

/** Share of `sorted` below `rho`, values equal to rho counted half (scipy's percentile of score). */
export function shareBelow(sorted: Float64Array, rho: number): number {
  let below = 0;
  let equal = 0;
  for (const v of sorted) {
    if (v < rho) below++;
    else if (v === rho) equal++;
  }
  return (2 * below + equal) / (2 * sorted.length);
}

/** Clips to [-1, 1], the range of rho. */
function clampToCorrelationRange(v: number): number {
  return v > 1 ? 1 : v < -1 ? -1 : v;
}

/**
 * The percentile or basic interval from the percentiles lo = Q(alpha/2), hi = Q(1 - alpha/2):
 * percentile (lo, hi); basic (2 rho - hi, 2 rho - lo), clipped to [-1, 1] (the range of rho).
 * With the percentiles' Monte Carlo SEs, each endpoint carries the SE of the percentile it comes from.
 */
export function fromPercentiles(method: 'percentile' | 'basic', lo: number, hi: number, rho: number, se?: { lo: number; hi: number }): Interval {
  if (Number.isNaN(lo)) return { lower: NaN, upper: NaN, method, warning: 'every bootstrap resample was degenerate (constant x or y)', warningCode: 'SPEARSIM_BOOTSTRAP_DEGENERATE' };
  const ses = se === undefined ? {} : method === 'percentile' ? { lowerSe: se.lo, upperSe: se.hi } : { lowerSe: se.hi, upperSe: se.lo };
  if (method === 'percentile') return { lower: lo, upper: hi, ...ses, method };
  return { lower: clampToCorrelationRange(2 * rho - hi), upper: clampToCorrelationRange(2 * rho - lo), ...ses, method };
}

/**
 * The percentile or basic interval of level 1 - alpha from the valid resample values sorted
 * ascending (type-7 quantiles), with the endpoints' Monte Carlo SEs; NaN endpoints with a warning
 * when there is no valid resample.
 */
export function percentilesOf(method: 'percentile' | 'basic', sorted: Float64Array, rho: number, alpha: number): Interval {
  const lo = sorted.length > 0 ? quantileType7Sorted(sorted, alpha / 2) : NaN;
  const hi = sorted.length > 0 ? quantileType7Sorted(sorted, 1 - alpha / 2) : NaN;
  return fromPercentiles(method, lo, hi, rho, { lo: quantileMcSe(sorted, alpha / 2), hi: quantileMcSe(sorted, 1 - alpha / 2) });
}
