/**
 * Percentile interval: the type-7 quantiles at alpha/2 and 1 - alpha/2 of the resample values
 * (docs/methods.md, "Bootstrap confidence intervals").
 * @module
 */
import { percentilesOf } from '../intervals';
import type { IntervalMethodSpec } from './variant';

export const percentileMethod: IntervalMethodSpec<'percentile'> = {
  name: 'percentile',
  code: 0,
  label: 'percentile',
  needs: { distribution: false, jackknife: false },
  usedBy: ['bootstrapCI', 'bootstrapInterval', 'expected CI (default)', 'analyze'],
  compute: ({ sorted, rho, alpha }) => percentilesOf('percentile', sorted, rho, alpha),
};
