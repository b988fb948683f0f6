/**
 * The one entry path of a real dataset (x, y): validation and the missing-value policy shared by
 * spearman, spearmanTest and bootstrapCI (docs/methods.md, "Real data").
 * @internal
 * @module
 */
import { SpearsimError, rangeError } from '../errors';
import { MAX_EXACT_N } from '../ranks';
import { checkNotConstant, checkPair, finiteVector } from './validate';

/** What a NaN in x or y does: an error (default), dropping its pair, or a NaN result. */
export type NanPolicy = 'raise' | 'omit' | 'propagate';

/** The policies, default first. */
export const NAN_POLICIES: readonly NanPolicy[] = ['raise', 'omit', 'propagate'];

/** A validated real dataset. */
export interface PairedData {
  /** x of the pairs kept. */
  x: Float64Array;
  /** y of the pairs kept. */
  y: Float64Array;
  /** Pairs dropped under `omit` for a NaN in x or y. */
  omitted: number;
  /** `propagate` and a NaN present: the statistic is NaN and nothing is computed. */
  propagateNaN: boolean;
}

/** Checks a nanPolicy option (undefined = `raise`). */
export function nanPolicyOf(value: unknown): NanPolicy {
  if (value === undefined) return 'raise';
  if (typeof value !== 'string' || !(NAN_POLICIES as readonly string[]).includes(value)) {
    throw rangeError('nanPolicy', value, `one of ${NAN_POLICIES.join(', ')}`);
  }
  return value as NanPolicy;
}

/** x or y as a Float64Array: finite numbers, NaN allowed unless the policy is `raise`. */
function numericVector(option: string, values: unknown, policy: NanPolicy): Float64Array {
  const out = finiteVector(option, values, MAX_EXACT_N, true);
  const i = policy === 'raise' ? out.findIndex((v) => Number.isNaN(v)) : -1;
  if (i >= 0) {
    throw new SpearsimError(
      'ERR_NAN_INPUT',
      `${option}[${i}] is NaN; pass nanPolicy 'omit' to drop incomplete pairs or 'propagate' for a NaN result`,
      { option: `${option}[${i}]`, value: NaN, expected: "a finite number (or nanPolicy 'omit' / 'propagate')" },
    );
  }
  return out;
}

/**
 * Validates a paired dataset under a NaN policy: equal lengths, finite values (NaN per policy),
 * and, for the pairs kept, 3 <= n <= MAX_EXACT_N with neither side constant.
 */
export function pairedData(x: unknown, y: unknown, policy: NanPolicy = 'raise'): PairedData {
  let xv = numericVector('x', x, policy);
  let yv = numericVector('y', y, policy);
  if (xv.length !== yv.length) checkPair(xv, yv);
  let omitted = 0;
  const missing = (i: number): boolean => Number.isNaN(xv[i]!) || Number.isNaN(yv[i]!);
  if (policy !== 'raise') {
    for (let i = 0; i < xv.length; i++) if (missing(i)) omitted++;
    if (policy === 'propagate' && omitted > 0) return { x: xv, y: yv, omitted: 0, propagateNaN: true };
    if (omitted > 0) {
      const keep = Array.from(xv.keys()).filter((i) => !missing(i));
      xv = Float64Array.from(keep, (i) => xv[i]!);
      yv = Float64Array.from(keep, (i) => yv[i]!);
    }
  }
  checkPair(xv, yv);
  checkNotConstant('x', xv);
  checkNotConstant('y', yv);
  return { x: xv, y: yv, omitted, propagateNaN: false };
}
