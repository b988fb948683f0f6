/**
 * Fieller, Hartley & Pearson (1957): Var(z) = 1.06 / (n - 3), the default (docs/methods.md,
 * "Asymptotic methods").
 * @module
 */
import type { FisherVariance } from './variant';

/** The 1.06 inflation of 1/(n - 3) that Fieller, Hartley and Pearson found for Spearman's z. */
export const FIELLER_HARTLEY_PEARSON_FACTOR = 1.06;

export const fiellerHartleyPearson: FisherVariance<'fieller-hartley-pearson'> = {
  name: 'fieller-hartley-pearson',
  code: 0,
  label: 'Fieller-Hartley-Pearson',
  formula: '1.06 / (n - 3)',
  reference: 'Fieller, Hartley & Pearson (1957), Biometrika 44, 470-481',
  needs: 'n',
  usedBy: ['fisherCI', 'asymptotic', 'asymptoticGrid', 'study asymptotic stage'],
  // n - 3 floored at 1 keeps n = 4 finite-width (the formulas take n >= 4)
  variance: (n) => FIELLER_HARTLEY_PEARSON_FACTOR / Math.max(n - 3, 1),
};
