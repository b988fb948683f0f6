/**
 * The Monte Carlo error of a minimum detectable rho (docs/methods.md, "Precision and run time"):
 * the slope step of the search's own power curve, the bracket that re-uses the search's regions
 * for evaluations after it, and the error of a precomputed null's critical value.
 * @module
 */
import { normalQuantile } from '../noncentral-t';
import type { SearchBracket } from './session';

/** Half-width in rho of the central difference giving the power curve's slope at a search result. */
export const SLOPE_STEP = 0.02;

/**
 * SE of the critical |rho| of a null estimated from nPre permutations: the sample quantile's
 * sqrt(alpha (1 - alpha) / nPre) over the density of |rho-hat| there, with the normal
 * approximation of the null (variance 1 / (n - 1)). A shift of the critical value shifts a
 * minimum detectable rho by about as much.
 */
export function nullCriticalSe(n: number, alpha: number, nPre: number): number {
  const z = normalQuantile(1 - alpha / 2);
  const density = (2 * Math.sqrt(n - 1) * Math.exp((-z * z) / 2)) / Math.sqrt(2 * Math.PI);
  return Math.sqrt((alpha * (1 - alpha)) / nPre) / density;
}

/**
 * The tightest bracket of evaluated regions around rho (ends at or beyond it on each side), so an
 * evaluation after a search re-evaluates only the sims whose outcome is not already implied.
 */
export function bracketAround(regionsAt: ReadonlyMap<number, Int8Array>, rho: number): SearchBracket {
  let lower: [number, Int8Array] | undefined;
  let upper: [number, Int8Array] | undefined;
  for (const [at, regions] of regionsAt) {
    if (at <= rho && (!lower || at > lower[0])) lower = [at, regions];
    if (at >= rho && (!upper || at < upper[0])) upper = [at, regions];
  }
  return { lower: lower?.[1], upper: upper?.[1] };
}
