/**
 * A closed-form p-value from the two tails of the statistic's reference distribution.
 * @module
 */
import type { Alternative } from './variant';

/** greater: the upper tail; less: the lower tail; two-sided: twice the upper tail at |s|, capped at 1. */
export function pFromTails(statistic: number, alternative: Alternative, upper: (s: number) => number, lower: (s: number) => number): number {
  if (alternative === 'greater') return upper(statistic);
  if (alternative === 'less') return lower(statistic);
  return Math.min(1, 2 * upper(Math.abs(statistic)));
}
