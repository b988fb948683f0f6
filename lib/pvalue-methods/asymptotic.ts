/**
 * Normal approximation: z = rho sqrt(n - 1) against the standard normal. Under permutation the
 * variance of rho is exactly 1/(n - 1) whatever the ties, so no tie correction applies
 * (docs/methods.md, "Real data").
 * @module
 */
import { normalCdf } from '../noncentral-t';
import { pFromTails } from './tails';
import type { PvalueMethodSpec } from './variant';

export const asymptoticMethod: PvalueMethodSpec<'asymptotic'> = {
  name: 'asymptotic',
  code: 3,
  label: 'normal approximation',
  needs: 'closed-form',
  usedBy: ['spearmanTest', 'analyze'],
  closedForm(rho, n, alternative) {
    const z = rho * Math.sqrt(n - 1);
    return { statistic: z, pValue: pFromTails(z, alternative, (s) => normalCdf(-s), normalCdf) };
  },
};
