/**
 * Validation of a call's own (non-configuration) options.
 * @internal
 * @module
 */
import { rangeError } from '../errors';

/** `value` if it is one of `choices`, `fallback` if undefined, else ERR_OUT_OF_RANGE naming the choices. */
export function oneOf<T extends string>(option: string, value: unknown, choices: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) throw rangeError(option, value, `one of ${choices.join(', ')}`);
  return value as T;
}
