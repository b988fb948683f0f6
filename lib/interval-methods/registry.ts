/**
 * The bootstrap interval methods, one file each; adding one is a file and a line here. Option
 * choices, the CLI's interval table and the tests come from this table (docs/methods.md,
 * "Bootstrap confidence intervals").
 * @module
 */
import type { Interval } from '../intervals';
import { basicMethod } from './basic';
import { bcaMethod } from './bca';
import { percentileMethod } from './percentile';
import type { IntervalMethodSpec } from './variant';

/** The registered interval methods, in code order (percentile, the default, first). */
export const INTERVAL_METHOD_REGISTRY = [percentileMethod, basicMethod, bcaMethod] as const;

/** Name of a registered bootstrap interval method. */
export type IntervalMethod = (typeof INTERVAL_METHOD_REGISTRY)[number]['name'];

/** The interval methods, in display order. */
export const INTERVAL_METHODS = INTERVAL_METHOD_REGISTRY.map((m) => m.name) as readonly IntervalMethod[];

/** The registered method of a name. */
export function intervalMethodOf(name: IntervalMethod): IntervalMethodSpec {
  return INTERVAL_METHOD_REGISTRY.find((m) => m.name === name)!;
}

/**
 * A bootstrap interval of level 1 - alpha by `method` from the valid (non-NaN) resample values
 * sorted ascending; `jack` supplies the jackknife values (called only by methods that need them).
 * With no valid resample every endpoint is NaN.
 */
export function intervalFromDistribution(
  method: IntervalMethod,
  sorted: Float64Array,
  rho: number,
  alpha: number,
  jack: () => Float64Array,
): Interval {
  return intervalMethodOf(method).compute({ sorted, rho, alpha, jackknife: jack });
}

export type { IntervalInputs, IntervalMethodSpec, IntervalNeeds } from './variant';
