/**
 * The shape of one bootstrap interval method: a function of the resample distribution, rho and the
 * level (docs/methods.md, "Bootstrap confidence intervals").
 * @module
 */
import type { Interval } from '../intervals';

/** What an interval method reads besides the resample distribution and rho. */
export interface IntervalNeeds {
  /**
   * The whole resample distribution (kept by the engine); false when the method reads only the
   * percentile pair Q(alpha/2), Q(1 - alpha/2), which the engine computes without keeping it.
   */
  distribution: boolean;
  /** The leave-one-out (jackknife) values of rho, hence the data themselves. */
  jackknife: boolean;
}

/** The inputs of an interval computation. */
export interface IntervalInputs {
  /** The valid (non-degenerate) resample values, sorted ascending. */
  sorted: Float64Array;
  /** Spearman's rho of the data. */
  rho: number;
  /** Miscoverage: the interval has level 1 - alpha. */
  alpha: number;
  /** The jackknife values of rho, computed on first call (only methods that need them call it). */
  jackknife: () => Float64Array;
}

/** One registered interval method. */
export interface IntervalMethodSpec<Name extends string = string> {
  /** Option value (`method` of bootstrapCI, `intervalMethod` of an expected CI). */
  name: Name;
  /** Stable numeric code (table order; never reused). */
  code: number;
  /** Short human label. */
  label: string;
  /** What it needs besides the resamples. */
  needs: IntervalNeeds;
  /** Where it is used. */
  usedBy: readonly string[];
  /** The interval; where the method is undefined, the percentile interval with a coded warning. */
  compute(inputs: IntervalInputs): Interval;
}
