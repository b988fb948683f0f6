/**
 * The log-normal model of y (docs/methods.md, "Generators"): its fit from a median and an IQR, and
 * whether the values it draws stay finite.
 * @module
 */
import { rangeError } from './errors';
import { MIN_SIGMA } from './kernels/generators';
import { log } from './mathfn';

/** Phi^-1(0.75), as the reference gives it. */
const PHI_INV_075 = 0.6744897501960817;
/** The largest |z| a standard normal drawn from a 53-bit uniform reaches (Phi^-1(2^-53) = -8.29), with margin. */
const MAX_ABS_Z = 8.5;
/** ln of the largest double and of the smallest normal one. */
const LOG_MAX = 709.78;
const LOG_MIN_NORMAL = -708.39;

/** Log-normal fit of y from its median and IQR (docs/methods.md, "Generators"): mu = ln median, symmetric IQR split. */
export function logNormalFit(median: number, iqr: number): {
  /** Log-scale location, ln median. */
  mu: number;
  /** Log-scale SD (at least 0.01). */
  sigma: number;
} {
  if (typeof median !== 'number' || !Number.isFinite(median) || !(median > 0)) throw rangeError('median', median, 'a finite number > 0');
  if (typeof iqr !== 'number' || !Number.isFinite(iqr) || !(iqr >= 0)) throw rangeError('iqr', iqr, 'a finite number >= 0');
  const mu = log(median);
  const q75 = median + iqr / 2;
  return { mu, sigma: Math.max((log(q75) - mu) / PHI_INV_075, MIN_SIGMA) };
}

/**
 * Throws unless every y the fit can draw, exp(mu + sigma z), is a finite normal double: a median of
 * 1e-100 with an IQR of 1e100 would give Infinity and 0 (and ranks of nothing).
 */
export function checkLogNormalRange(median: number, iqr: number, names: { median: string; iqr: string }): void {
  const { mu, sigma } = logNormalFit(median, iqr);
  if (mu + MAX_ABS_Z * sigma > LOG_MAX || mu - MAX_ABS_Z * sigma < LOG_MIN_NORMAL) {
    throw rangeError(
      names.iqr,
      iqr,
      `an IQR that keeps the log-normal y of median ${median} within double range (ln y = ${mu.toPrecision(4)} +- ${MAX_ABS_Z} x ${sigma.toPrecision(4)} must lie in [${LOG_MIN_NORMAL}, ${LOG_MAX}])`,
    );
  }
}
