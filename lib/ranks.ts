/**
 * Midranks and Spearman's rho, exact (see native/ranks.hpp for the integer formulation), identical
 * to the native kernels bit for bit.
 * @module
 */

export { MAX_EXACT_N } from './kernels/constants';

/** Stable ascending order of `v` (ties keep index order). */
export function stableOrder(v: ArrayLike<number>): Uint32Array {
  const order = new Uint32Array(v.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  // Array sort is stable; the index tiebreak makes that explicit for typed arrays too.
  return order.sort((a, b) => v[a]! - v[b]! || a - b);
}

/**
 * Doubled centred ranks 2*midrank - (n + 1) (integers) of `v` into `rank2`, given the indices of v
 * in ascending order (equal values in any order); returns the tie sum sum(t^3 - t) over runs of
 * equal values.
 */
export function ranksFromOrder(v: ArrayLike<number>, order: Uint32Array, rank2: Float64Array): number {
  const n = v.length;
  let ties = 0;
  let i = 0;
  while (i < n) {
    let j = i + 1;
    while (j < n && v[order[j]!] === v[order[i]!]) j++;
    const r2 = i + j - n;
    for (let t = i; t < j; t++) rank2[order[t]!] = r2;
    const t = j - i;
    ties += t * t * t - t;
    i = j;
  }
  return ties;
}

/**
 * Doubled centred ranks 2*midrank - (n + 1) (integers) of `v` into `rank2`; returns the tie sum
 * sum(t^3 - t) over runs of equal values.
 */
export function doubledCentredRanks(v: ArrayLike<number>, rank2: Float64Array): number {
  return ranksFromOrder(v, stableOrder(v), rank2);
}

/** rho from exact pieces; NaN when either side is constant. */
export function rhoFromExact(sxy4: number, n: number, tiesX: number, tiesY: number): number {
  const n3 = n * n * n - n;
  const sxx12 = n3 - tiesX;
  const syy12 = n3 - tiesY;
  if (sxx12 <= 0 || syy12 <= 0) return NaN;
  const r = (3.0 * sxy4) / Math.sqrt(sxx12 * syy12);
  return r > 1 ? 1 : r < -1 ? -1 : r;
}

/** Midranks (1-based, ties averaged) of `values`. */
export function midranksOf(values: ArrayLike<number>): Float64Array {
  const r2 = new Float64Array(values.length);
  doubledCentredRanks(values, r2);
  const shift = values.length + 1;
  for (let i = 0; i < r2.length; i++) r2[i] = (r2[i]! + shift) / 2;
  return r2;
}

/** Spearman's rho of two equal-length vectors (NaN if either is constant); no validation. */
export function spearmanOf(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  const rx = new Float64Array(n);
  const ry = new Float64Array(n);
  const tx = doubledCentredRanks(x, rx);
  const ty = doubledCentredRanks(y, ry);
  let sxy4 = 0;
  for (let i = 0; i < n; i++) sxy4 += rx[i]! * ry[i]!;
  return rhoFromExact(sxy4, n, tx, ty);
}
