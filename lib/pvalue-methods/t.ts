/**
 * t approximation: t = rho sqrt((n - 2)/(1 - rho^2)) against Student t with n - 2 df (as scipy's
 * spearmanr); relative-accurate far into the tails (docs/methods.md, "Real data").
 * @module
 */
import { noncentralTCdf, noncentralTSf } from '../noncentral-t';
import { tStatistic } from '../pvalues';
import { pFromTails } from './tails';
import type { PvalueMethodSpec } from './variant';

export const tMethod: PvalueMethodSpec<'t'> = {
  name: 't',
  code: 2,
  label: 'Student t approximation',
  needs: 'closed-form',
  usedBy: ['spearmanTest', 'analyze'],
  closedForm(rho, n, alternative) {
    const t = tStatistic(rho, n);
    const df = n - 2;
    return { statistic: t, pValue: pFromTails(t, alternative, (s) => noncentralTSf(s, df, 0), (s) => noncentralTCdf(s, df, 0)), df };
  },
};
