/**
 * The one entry path of a real dataset (x, y): validation and the missing-value policy shared by
 * spearman, spearmanTest and bootstrapCI (docs/methods.md, "Real data").
 * @internal
 * @module
 */
import { SpearsimError, describeValue, rangeError, typeError } from '../errors';
import { MAX_EXACT_N } from '../ranks';
import { checkNotConstant, checkPair } from './validate';

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

/** Copies `values` into a Float64Array: finite numbers, and NaN unless the policy is `raise`. */
function numericVector(option: string, values: unknown, policy: NanPolicy): Float64Array {
  if (!(Array.isArray(values) || (ArrayBuffer.isView(values) && !(values instanceof DataView)))) {
    throw typeError(option, values, 'an array or typed array of finite numbers');
  }
  const source = values as ArrayLike<unknown>;
  // checked before allocating, so an absurd length is an error, not an allocation failure
  if (source.length > MAX_EXACT_N) throw rangeError(`${option}.length`, source.length, `at most ${MAX_EXACT_N}`);
  const out = new Float64Array(source.length);
  for (let i = 0; i < source.length; i++) {
    const v = source[i];
    if (typeof v === 'number' && Number.isNaN(v)) {
      if (policy === 'raise') {
        throw new SpearsimError(
          'ERR_NAN_INPUT',
          `${option}[${i}] is NaN; pass nanPolicy 'omit' to drop incomplete pairs or 'propagate' for a NaN result`,
          { option: `${option}[${i}]`, value: v, expected: "a finite number (or nanPolicy 'omit' / 'propagate')" },
        );
      }
    } else if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new SpearsimError('ERR_OUT_OF_RANGE', `${option}[${i}] must be a finite number; received ${describeValue(v)}`, {
        option: `${option}[${i}]`,
        value: v,
        expected: 'a finite number',
      });
    }
    out[i] = v as number;
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
