/**
 * Basic (reverse percentile) interval: 2 rho - Q(1 - alpha/2), 2 rho - Q(alpha/2), clipped to the
 * range of rho (docs/methods.md, "Bootstrap confidence intervals").
 * @module
 */
import { percentilesOf } from '../intervals';
import type { IntervalMethodSpec } from './variant';

export const basicMethod: IntervalMethodSpec<'basic'> = {
  name: 'basic',
  code: 1,
  label: 'basic',
  needs: { distribution: false, jackknife: false },
  usedBy: ['bootstrapCI', 'bootstrapInterval', 'expected CI', 'analyze'],
  compute: ({ sorted, rho, alpha }) => percentilesOf('basic', sorted, rho, alpha),
};
