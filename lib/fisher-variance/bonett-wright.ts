/**
 * Bonett & Wright (2000): Var(z) = (1 + r^2 / 2) / (n - 3) (docs/methods.md, "Asymptotic methods").
 * @module
 */
import type { FisherVariance } from './variant';

export const bonettWright: FisherVariance<'bonett-wright'> = {
  name: 'bonett-wright',
  code: 1,
  label: 'Bonett-Wright',
  formula: '(1 + r^2 / 2) / (n - 3)',
  reference: 'Bonett & Wright (2000), Psychometrika 65, 23-28',
  needs: 'r',
  usedBy: ['fisherCI', 'asymptotic', 'asymptoticGrid', 'study asymptotic stage'],
  variance: (n, r) => (1 + (r * r) / 2) / Math.max(n - 3, 1),
};
