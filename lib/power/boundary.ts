/**
 * The boundary warning of a minimum-detectable-rho search: the result lies within BOUNDARY_EPS of
 * a bound of the search interval, so the true value may lie outside it.
 * @module
 */

/** |result - bound| below this is a boundary hit. */
export const BOUNDARY_EPS = 1e-4;

/** The search hit a bound: returned, and printed at verbose >= 1. */
export interface BoundaryWarning {
  /** The printed text ("... is at the search boundary ... — widen bounds"). */
  message: string;
  /** Which bound was hit (signed interval: the lower bound of the negative search is -0.42). */
  bound: 'lower' | 'upper';
  /** Its value. */
  boundValue: number;
  /** The search result (within 1e-4 of the bound). */
  result: number;
}

/** The warning for a search result on `bounds` (signed), or null when it is inside them. */
export function searchBoundaryWarning(label: string, result: number, bounds: readonly [number, number]): BoundaryWarning | null {
  const near = Math.abs(result - bounds[0]) < BOUNDARY_EPS ? 'lower' : Math.abs(result - bounds[1]) < BOUNDARY_EPS ? 'upper' : null;
  if (!near) return null;
  const boundValue = near === 'lower' ? bounds[0] : bounds[1];
  return {
    message: `${label}: minimum detectable rho ${result.toFixed(4)} is at the search boundary ${boundValue} — widen bounds`,
    bound: near,
    boundValue,
    result,
  };
}
