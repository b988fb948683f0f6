/**
 * Permutation p-value: exact enumeration when n! <= the permutation count, else the precomputed
 * null of x's tie structure when it is this test's null, else Monte Carlo permutations
 * (docs/methods.md, "Real data"). Runs in lib/realdata.ts.
 * @module
 */
import type { PvalueMethodSpec } from './variant';

export const permutationMethod: PvalueMethodSpec<'permutation'> = {
  name: 'permutation',
  code: 0,
  label: 'permutation',
  needs: 'permutations',
  usedBy: ['spearmanTest (default)', 'analyze'],
};
