// The direct O(n^2) jackknife of Spearman's rho: the oracle the O(n log n) jackknife
// (lib/jackknife.ts, native/jackknife.hpp) must match bit for bit.
import { doubledCentredRanks, rhoFromExact } from '../../lib/ranks';

/** Midrank group size of each element (how many values equal it). */
function groupSizes(v: Float64Array): Float64Array {
  const counts = new Map<number, number>();
  for (const value of v) counts.set(value, (counts.get(value) ?? 0) + 1);
  return Float64Array.from(v, (value) => counts.get(value)!);
}

/**
 * Leave-one-out Spearman values rho_(i), i = 0..n-1 (NaN where dropping item i leaves x or y
 * constant), exact with the integer formulation of lib/ranks.ts.
 *
 * Dropping item i lowers every larger value's midrank by 1 and every tied value's by 1/2, so the
 * doubled centred ranks of the rest follow from the full ranks in O(1) each: O(n^2) in total
 * without any re-sorting.
 */
export function naiveJackknifeRhos(x: Float64Array, y: Float64Array): Float64Array {
  const n = x.length;
  const rx = new Float64Array(n);
  const ry = new Float64Array(n);
  const tiesX = doubledCentredRanks(x, rx);
  const tiesY = doubledCentredRanks(y, ry);
  const sizeX = groupSizes(x);
  const sizeY = groupSizes(y);
  const drop = (t: number): number => t * t * t - t - ((t - 1) * (t - 1) * (t - 1) - (t - 1));
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const xi = x[i]!;
    const yi = y[i]!;
    let sxy4 = 0;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      // new doubled centred rank over n - 1 items: rank2 + 1 - (2 if larger, 1 if tied, 0 if smaller)
      const xj = x[j]!;
      const yj = y[j]!;
      const a = rx[j]! + (xj > xi ? -1 : xj === xi ? 0 : 1);
      const b = ry[j]! + (yj > yi ? -1 : yj === yi ? 0 : 1);
      sxy4 += a * b;
    }
    out[i] = rhoFromExact(sxy4, n - 1, tiesX - drop(sizeX[i]!), tiesY - drop(sizeY[i]!));
  }
  return out;
}

