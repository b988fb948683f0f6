/**
 * Exact p-value: every one of the n! arrangements of y against x (n <= 11)
 * (docs/methods.md, "Real data"). Runs in lib/realdata.ts.
 * @module
 */
import type { PvalueMethodSpec } from './variant';

export const exactMethod: PvalueMethodSpec<'exact'> = {
  name: 'exact',
  code: 1,
  label: 'exact enumeration',
  needs: 'all-permutations',
  usedBy: ['spearmanTest'],
};
