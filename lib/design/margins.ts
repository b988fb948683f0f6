/**
 * Margins of a design at any n: group proportions rescaled to counts by largest-remainder
 * rounding. docs/methods.md, "Planning your own study".
 *
 * Rule: group j's quota is n w_j / W (w the weights: given counts, or proportions with W = 1);
 * every group first gets the integer part of its quota, then the n - sum left over go one each to
 * the groups with the largest fractional parts (ties to the lower group). A group left at 0 is an
 * error naming the smallest n from which every group gets at least 1.
 * @module
 */
import { SpearsimError, describeValue } from '../errors';
import { MAX_N } from '../scenario';

/** Tolerance of the proportions' sum. */
export const PROPORTION_SUM_TOLERANCE = 1e-9;

/** Group weights: counts (total their sum) or proportions (total 1). */
export interface Weights {
  /** Group weights in ascending order. */
  readonly weights: readonly number[];
  /** Their total (the counts' sum, or 1). */
  readonly total: number;
}

function marginError(option: string, value: unknown, message: string, expected: string): SpearsimError {
  return new SpearsimError('ERR_OUT_OF_RANGE', message, { option, value, expected });
}

/** Validates proportions (at least 2, each > 0, summing to 1 within 1e-9). */
export function checkProportions(option: string, value: unknown): Weights {
  const expected = `at least 2 numbers > 0 summing to 1 (within ${PROPORTION_SUM_TOLERANCE})`;
  if (!Array.isArray(value) || value.length < 2) throw marginError(option, value, `${option} must list at least 2 proportions; received ${describeValue(value)}`, expected);
  value.forEach((p: unknown, i) => {
    if (typeof p !== 'number' || !Number.isFinite(p)) throw marginError(option, value, `${option}[${i}] must be a finite number; received ${describeValue(p)}`, expected);
    if (p < 0) throw marginError(option, value, `${option}[${i}] is negative (${p}); proportions must be > 0`, expected);
    if (p === 0) throw marginError(option, value, `${option}[${i}] is 0; drop empty groups (every group needs proportion > 0)`, expected);
  });
  const sum = (value as number[]).reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > PROPORTION_SUM_TOLERANCE) {
    throw marginError(option, value, `${option} sum to ${sum}, not 1 (tolerance ${PROPORTION_SUM_TOLERANCE})`, expected);
  }
  return { weights: Object.freeze([...(value as number[])]), total: sum };
}

/** Weights of given counts (positive integers, at least 2 groups). */
export function countWeights(option: string, value: unknown): Weights {
  const expected = 'at least 2 positive integers';
  if (!Array.isArray(value) || value.length < 2) {
    throw new SpearsimError('ERR_INVALID_COUNTS', `${option} must list at least 2 groups; received ${describeValue(value)}`, { option, value, expected });
  }
  value.forEach((c: unknown, i) => {
    if (typeof c !== 'number' || !Number.isInteger(c) || c < 1) {
      throw new SpearsimError('ERR_INVALID_COUNTS', `${option}[${i}] must be a positive integer; received ${describeValue(c)}`, { option, value, expected });
    }
  });
  const total = (value as number[]).reduce((a, b) => a + b, 0);
  if (total > MAX_N) throw marginError(option, value, `${option} sum to ${total}, above the largest supported n ${MAX_N}`, `counts summing to at most ${MAX_N}`);
  return { weights: Object.freeze([...(value as number[])]), total };
}

/** Largest-remainder counts at n (groups may be 0: the design checks every group gets at least 1). */
export function roundedCounts(w: Weights, n: number): number[] {
  const quotas = w.weights.map((x) => (n * x) / w.total);
  const counts = quotas.map((q) => Math.floor(q));
  let left = n - counts.reduce((a, b) => a + b, 0);
  const order = quotas.map((q, j) => ({ j, frac: q - counts[j]! })).sort((a, b) => b.frac - a.frac || a.j - b.j);
  for (let i = 0; left > 0; i = (i + 1) % order.length, left--) counts[order[i]!.j]!++;
  return counts;
}

/** Smallest n from which every group gets at least 1 (for every larger n too). */
export function smallestValidN(w: Weights): number {
  const k = w.weights.length;
  const smallest = Math.min(...w.weights) / w.total;
  // from ceil(1/smallest) on, every quota is >= 1 and so is its integer part
  let from = Math.max(k, Math.ceil(1 / smallest - 1e-12));
  while (from - 1 >= k && roundedCounts(w, from - 1).every((c) => c >= 1)) from--;
  return from;
}

/** Counts at n, every group at least 1, or an error naming option `nOption` and the smallest n that works. */
export function countsAt(w: Weights, n: number, nOption: string, what: string): number[] {
  const counts = roundedCounts(w, n);
  if (counts.some((c) => c < 1)) {
    const from = smallestValidN(w);
    const j = counts.findIndex((c) => c < 1);
    throw new SpearsimError('ERR_OUT_OF_RANGE', `at n=${n}, ${what} group ${j + 1} (proportion ${(w.weights[j]! / w.total).toPrecision(4)}) rounds to 0; the smallest n that gives every group at least 1 is ${from}`, {
      option: nOption,
      value: n,
      expected: `n >= ${from}`,
    });
  }
  return counts;
}

/** Tie proportions of a data column: counts of its distinct values in ascending order. */
export function tieCounts(values: readonly number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const counts: number[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i + 1;
    while (j < sorted.length && sorted[j] === sorted[i]) j++;
    counts.push(j - i);
    i = j;
  }
  return counts;
}
