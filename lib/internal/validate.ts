/**
 * Validation of data arguments (options are validated by lib/config.ts).
 * @internal
 * @module
 */
import { SpearsimError, describeValue, rangeError, typeError } from '../errors';
import { MAX_EXACT_N } from '../ranks';

/**
 * A correlation in [-1, 1] (a rho, a target, an observed rho): the one check every entry point
 * uses. typeof first: a range test on a Symbol throws a TypeError.
 */
export function correlation(option: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= -1 && value <= 1)) throw rangeError(option, value, 'a number in [-1, 1]');
  return value;
}

/** A sample size n in [3, MAX_EXACT_N] (the exact Spearman's range): the one check of n. */
export function sampleSize(option: string, n: number): number {
  if (n < 3 || n > MAX_EXACT_N) throw rangeError(option, n, `an integer in [3, ${MAX_EXACT_N}]`);
  return n;
}

/**
 * x tie-group sizes: a list of positive integers, at least `minGroups` of them, summing to `n`
 * when n is given (`owner` names what has size n). The one check of counts (ERR_INVALID_COUNTS).
 */
export function tieCounts(counts: unknown, n?: number, owner = 'the structure', minGroups = 1): readonly number[] {
  const fail = (message: string): SpearsimError =>
    new SpearsimError('ERR_INVALID_COUNTS', message, {
      option: 'counts',
      value: counts,
      expected: `at least ${minGroups} positive integer${minGroups === 1 ? '' : 's'}${n === undefined ? '' : ` summing to ${n}`}`,
    });
  if (!Array.isArray(counts)) throw fail(`counts must be a list of positive integers; received ${describeValue(counts)}`);
  counts.forEach((c: unknown, i) => {
    if (typeof c !== 'number' || !Number.isInteger(c) || c < 1) throw fail(`counts[${i}] must be a positive integer; received ${describeValue(c)}`);
  });
  if (counts.length < minGroups) {
    throw fail(`counts must list at least ${minGroups} groups (Spearman needs ${minGroups} distinct x values); received ${counts.length}`);
  }
  const sum = (counts as number[]).reduce((a, b) => a + b, 0);
  if (n !== undefined && sum !== n) throw fail(`counts sum to ${sum}, but ${owner} has n=${n}`);
  return counts as number[];
}

/**
 * Copies `values` into a Float64Array, requiring finite numbers (NaN passes through with
 * `keepNaN`, for a caller's missing-value policy) and at most `maxLength` of them.
 */
export function finiteVector(option: string, values: unknown, maxLength = MAX_EXACT_N, keepNaN = false): Float64Array {
  if (!(Array.isArray(values) || (ArrayBuffer.isView(values) && !(values instanceof DataView)))) {
    throw typeError(option, values, 'an array or typed array of finite numbers');
  }
  const source = values as ArrayLike<unknown>;
  // checked before allocating, so an absurd length is an error, not an allocation failure
  if (source.length > maxLength) throw rangeError(`${option}.length`, source.length, `at most ${maxLength}`);
  const out = new Float64Array(source.length);
  for (let i = 0; i < source.length; i++) {
    const v = source[i];
    if (typeof v !== 'number' || !(Number.isFinite(v) || (keepNaN && Number.isNaN(v)))) {
      throw new SpearsimError('ERR_OUT_OF_RANGE', `${option}[${i}] must be a finite number; received ${describeValue(v)}`, {
        option: `${option}[${i}]`,
        value: v,
        expected: 'a finite number',
      });
    }
    out[i] = v;
  }
  return out;
}

/** Checks a paired dataset: equal lengths, n in [3, MAX_EXACT_N]. */
export function checkPair(x: Float64Array, y: Float64Array, xName = 'x', yName = 'y'): void {
  if (x.length !== y.length) {
    throw new SpearsimError('ERR_LENGTH_MISMATCH', `${xName} and ${yName} must have equal lengths; received ${x.length} and ${y.length}`, {
      option: yName,
      value: y.length,
      expected: `length ${x.length}`,
    });
  }
  sampleSize(`${xName}.length`, x.length);
}

/** Requires a non-constant vector (Spearman's rho is undefined otherwise). */
export function checkNotConstant(option: string, v: Float64Array): void {
  if (v.every((value) => value === v[0])) {
    throw new SpearsimError('ERR_OUT_OF_RANGE', `${option} is constant, so Spearman's rho is undefined`, {
      option,
      expected: 'at least two distinct values',
    });
  }
}
