/**
 * The Monte Carlo error a calibration leaves in every simulated answer (docs/methods.md,
 * "Precision and run time").
 * @module
 */
import { BONETT_WRIGHT_FACTOR } from '../asymptotic';
import type { Config } from '../config';
import { ZERO_RHO } from '../kernels/generators';

/**
 * Monte Carlo SE of the realised Spearman rho at a calibrated generator input: the calibration's
 * mean over nCal datasets misses its expectation by about sd(rho-hat) / sqrt(nCal), so a simulated
 * answer at target rho is really about rho +- this. The SD is the Bonett-Wright approximation
 * (1 - rho^2) sqrt(1.06 / (n - 3)). Zero when calibration is off or the target is 0: the input is
 * then used as given.
 */
export function calibrationSe(n: number, target: number, config: Pick<Config, 'nCal' | 'calibrationMode'>): number {
  if (config.calibrationMode === 'off' || Math.abs(target) < ZERO_RHO) return 0;
  const sd = (1 - target * target) * Math.sqrt(BONETT_WRIGHT_FACTOR / Math.max(n - 3, 1));
  return sd / Math.sqrt(config.nCal);
}
