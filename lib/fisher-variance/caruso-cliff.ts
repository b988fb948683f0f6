/**
 * Caruso & Cliff (1997): Var(z) = 1/(n - 2) + |z| / (6 n + 4 sqrt(n)) (docs/methods.md,
 * "Asymptotic methods").
 * @module
 */
import type { FisherVariance } from './variant';

export const carusoCliff: FisherVariance<'caruso-cliff'> = {
  name: 'caruso-cliff',
  code: 2,
  label: 'Caruso-Cliff',
  formula: '1 / (n - 2) + |z| / (6 n + 4 sqrt(n))',
  reference: 'Caruso & Cliff (1997), Educational and Psychological Measurement 57, 637-654',
  needs: 'z',
  usedBy: ['fisherCI', 'asymptotic', 'asymptoticGrid', 'study asymptotic stage'],
  variance: (n, _r, z) => 1 / (n - 2) + Math.abs(z) / (6 * n + 4 * Math.sqrt(n)),
};
