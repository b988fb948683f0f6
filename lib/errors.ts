/**
 * The one error class of the package. Every failure the package detects is a `SpearsimError`
 * with a stable `code`; validation errors also name the option, the value received and the
 * valid range.
 * @module
 */

/** Stable error codes. */
export type ErrorCode =
  | 'ERR_INVALID_TYPE'
  | 'ERR_OUT_OF_RANGE'
  | 'ERR_LENGTH_MISMATCH'
  | 'ERR_INVALID_COUNTS'
  | 'ERR_NAN_INPUT'
  | 'ERR_CONFLICTING_OPTIONS'
  | 'ERR_UNKNOWN_OPTION'
  | 'ERR_MEMORY_LIMIT'
  | 'ERR_ABORTED'
  | 'ERR_NATIVE_UNAVAILABLE'
  | 'ERR_UNSUPPORTED'
  | 'ERR_IO'
  | 'ERR_INTERNAL';

/** Details attached to a {@link SpearsimError}. */
export interface SpearsimErrorDetails {
  /** Option or argument at fault, e.g. `"nBoot"`. */
  option?: string;
  /** The value received. */
  value?: unknown;
  /** The valid range or set, in words, e.g. `"an integer in [1, 100000000]"`. */
  expected?: string;
  /** Underlying error. */
  cause?: unknown;
}

/** Error thrown (or rejected) by every spearsim API. */
export class SpearsimError extends Error {
  /** Stable machine-readable error code. */
  readonly code: ErrorCode;
  /** Option or argument at fault, when known. */
  readonly option?: string;
  /** The value received, when relevant. */
  readonly value?: unknown;
  /** The valid range or set, in words, when relevant. */
  readonly expected?: string;

  constructor(code: ErrorCode, message: string, details: SpearsimErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = code === 'ERR_ABORTED' ? 'AbortError' : 'SpearsimError';
    this.code = code;
    if (details.option !== undefined) this.option = details.option;
    if (details.value !== undefined) this.value = details.value;
    if (details.expected !== undefined) this.expected = details.expected;
  }
}

/** Short, safe rendering of a received value for messages. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name} of length ${(value as unknown as { length: number }).length}`;
  return `a value of type ${typeof value}`;
}

/** Error for an option outside its valid range. */
export function rangeError(option: string, value: unknown, expected: string): SpearsimError {
  return new SpearsimError('ERR_OUT_OF_RANGE', `${option} must be ${expected}; received ${describeValue(value)}`, {
    option,
    value,
    expected,
  });
}

/** Error for an option of the wrong type. */
export function typeError(option: string, value: unknown, expected: string): SpearsimError {
  return new SpearsimError('ERR_INVALID_TYPE', `${option} must be ${expected}; received ${describeValue(value)}`, {
    option,
    value,
    expected,
  });
}

/** The error an aborted operation rejects with. */
export function abortError(signal?: AbortSignal): SpearsimError {
  return new SpearsimError('ERR_ABORTED', 'the operation was aborted', { cause: signal?.reason });
}

/** Throws the abort error if `signal` is aborted. */
export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw abortError(signal);
}
