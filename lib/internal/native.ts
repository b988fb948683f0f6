/**
 * Loading the C++ addon and calling it. The addon is a thin layer over the C++ kernels; this file
 * types it (the interfaces mirror native/binding one to one) and adapts it: cancellation tokens
 * for AbortSignal, the thread budget, and errors that carry a stable code and the caller's stack.
 * @internal
 * @module
 */
import * as path from 'node:path';
import { SpearsimError, abortError, type ErrorCode } from '../errors';
import type { CallControls, Config } from '../config';
import { withThreads } from './threads';
import type { GeneratorsAddon } from './addon-generators';
import type { PowerAddon } from './addon-power';
import type { RealDataAddon } from './addon-realdata';

/** Opaque cancellation token created by the addon. */
export type CancelToken = { readonly __brand: 'CancelToken' };
export type ProgressCallback = ((done: number, total: number) => void) | null;

/** Per-rep results of a batch bootstrap. */
export interface RepArrays {
  lo: Float64Array;
  hi: Float64Array;
  rhoHat: Float64Array;
  dropped: Uint32Array;
  /** Every resample's rho (NaN if degenerate), rep r at [r * nBoot, (r + 1) * nBoot); only with keepRhos. */
  rhos?: Float64Array;
  /** Monte Carlo SE of each rep's lower and upper percentile (order-statistic rule); only with endpointSe. */
  loSe?: Float64Array;
  /** As loSe, of the upper percentile. */
  hiSe?: Float64Array;
}

/** What a native batch bootstrap job returns: the per-rep arrays and the kernel's own wall time. */
export interface NativeRepArrays extends RepArrays {
  /** Milliseconds inside the C++ kernel (bootstrapBatch), without the hand-off to and from JS. */
  kernelMs: number;
}

/** native/binding/core_binding.cc */
export interface CoreAddon {
  info(): { abi: number; openmp: number; maxThreads: number; compiler: string };
  rngSample(o: { key: bigint; kind: string; count: number; range?: number }): Float64Array | BigUint64Array;
  childKey(o: { key: bigint; label: bigint }): bigint;
  midranks(o: { values: Float64Array }): Float64Array;
  spearman(o: { x: Float64Array; y: Float64Array }): number;
  /** The process-wide kernel-thread budget, shared by every worker_threads realm (native/thread_budget.hpp). */
  threadBudget(): { limit: number; inUse: number; peak: number; pinning: boolean };
  /** limit > 0 caps the kernel threads of the whole process; 0 restores the default (the machine's processors, or the largest request). */
  setThreadBudget(limit: number): void;
  /** Restarts the peak of threadBudget() from the threads in use now. */
  resetThreadPeak(): void;
  createCancelToken(): CancelToken;
  cancel(token: CancelToken): void;
}

/** Fields shared by every native bootstrap call. */
export interface NativeBootstrapSpec {
  nBoot: number;
  alpha: number;
  baseKey: bigint;
  repOffset: number;
  /** Stream block of the first resample (0 when absent): resamples [256 firstBlock, 256 firstBlock + nBoot) of each rep. */
  firstBlock?: number;
  /** Also return each percentile's Monte Carlo SE (`loSe`, `hiSe`). */
  endpointSe?: boolean;
  chunkResamples: number;
  threads: number;
  /** Also return every resample's rho (`rhos`), for BCa intervals (bootstrapStored only). */
  keepRhos?: boolean;
}

/** native/binding/bootstrap_binding.cc */
export interface BootstrapAddon {
  bootstrapStored(
    o: NativeBootstrapSpec & { x: Float64Array; y: Float64Array; n: number; nReps: number },
    token: CancelToken | null,
    onProgress: ProgressCallback,
  ): Promise<NativeRepArrays>;
}

/** The addon as loaded (areas add their interfaces here). */
export type NativeAddon = CoreAddon & BootstrapAddon & GeneratorsAddon & PowerAddon & RealDataAddon;

const PACKAGE_ROOT = path.resolve(__dirname, '..', '..');
let loaded: { addon: NativeAddon | null; reason?: string } | undefined;
let warned = false;

/** Loads the addon once (prebuilds/ or build/Release via node-gyp-build). */
export function loadAddon(): { addon: NativeAddon | null; reason?: string } {
  if (loaded) return loaded;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const nodeGypBuild = require('node-gyp-build') as (dir: string) => unknown;
    loaded = { addon: nodeGypBuild(PACKAGE_ROOT) as NativeAddon };
  } catch (e) {
    loaded = { addon: null, reason: (e as Error).message.split('\n')[0] };
  }
  return loaded;
}

/** The one message explaining why the addon is unavailable and what to do. */
export function unavailableMessage(reason: string | undefined): string {
  return (
    `spearsim: the native addon could not be loaded on ${process.platform}-${process.arch}, Node ${process.version} ` +
    `(${reason ?? 'unknown reason'}). Using the TypeScript fallback: same results, slower. ` +
    `To build from source (needs cmake >= 3.18, a C++17 compiler and OpenMP): run "npm rebuild spearsim" ` +
    `(docs/troubleshooting.md). To silence this, choose the fallback explicitly with ` +
    `{ native: false } or SPEARSIM_NATIVE=0; to make it an error use { native: 'require' }.`
  );
}

/**
 * The addon to use under `config.native`, or null for the TypeScript fallback. Warns once when the
 * addon is wanted but missing; throws ERR_NATIVE_UNAVAILABLE under `native: 'require'`.
 */
export function addonFor(config: Pick<Config, 'native' | 'verbose'>): NativeAddon | null {
  if (config.native === false) return null;
  const { addon, reason } = loadAddon();
  if (addon) return addon;
  if (config.native === 'require') {
    throw new SpearsimError('ERR_NATIVE_UNAVAILABLE', unavailableMessage(reason), { option: 'native', value: 'require' });
  }
  if (!warned && config.verbose > 0) {
    warned = true;
    process.emitWarning(unavailableMessage(reason), { code: 'SPEARSIM_NATIVE_UNAVAILABLE' });
  }
  return null;
}

const KNOWN_CODES = new Set<ErrorCode>([
  'ERR_INVALID_TYPE', 'ERR_OUT_OF_RANGE', 'ERR_LENGTH_MISMATCH', 'ERR_INVALID_COUNTS', 'ERR_UNKNOWN_OPTION',
  'ERR_MEMORY_LIMIT', 'ERR_ABORTED', 'ERR_NATIVE_UNAVAILABLE', 'ERR_UNSUPPORTED', 'ERR_IO', 'ERR_INTERNAL',
]);

/** A SpearsimError from a native error, with the stack of the user code that made the call. */
export function fromNativeError(error: unknown, callerStack: string | undefined): SpearsimError {
  if (error instanceof SpearsimError) return error;
  const e = error as { code?: string; message?: string };
  const code: ErrorCode = e.code && KNOWN_CODES.has(e.code as ErrorCode) ? (e.code as ErrorCode) : 'ERR_INTERNAL';
  const out = new SpearsimError(code, e.message ?? String(error), { cause: error });
  if (callerStack) out.stack = `${out.name}: ${out.message}\n${callerStack.split('\n').slice(1).join('\n')}`;
  return out;
}

/** Calls a synchronous addon function, translating its errors. */
export function callSync<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw fromNativeError(e, new Error().stack);
  }
}

/**
 * Runs an asynchronous native job under the thread budget, wiring the AbortSignal to a cancel
 * token and progress to the callback. Native errors reject with the caller's stack.
 */
export async function runJob<T>(
  addon: NativeAddon,
  threads: number,
  controls: CallControls,
  start: (token: CancelToken | null, onProgress: ProgressCallback) => Promise<T>,
): Promise<T> {
  // the frames are captured now; the text (the costly part) is only built if the job fails
  const caller = new Error();
  const { signal, onProgress } = controls;
  if (signal?.aborted) throw abortError(signal);
  return withThreads(threads, async () => {
    if (signal?.aborted) throw abortError(signal);
    // a token only where something can cancel the job: the signal, or a progress callback that throws
    const token = signal || onProgress ? addon.createCancelToken() : null;
    const cancel = (): void => {
      if (token) addon.cancel(token);
    };
    signal?.addEventListener('abort', cancel, { once: true });
    // A throwing progress callback must not escape into N-API: it cancels the job and the call
    // rejects with the caller's own error, exactly as on the TypeScript fallback.
    let callbackError: { error: unknown } | undefined;
    const progress: ProgressCallback = onProgress
      ? (done, total) => {
          if (callbackError) return;
          try {
            onProgress(done, total);
          } catch (e) {
            callbackError = { error: e };
            cancel();
          }
        }
      : null;
    try {
      const result = await start(token, progress);
      if (callbackError) throw callbackError.error;
      return result;
    } catch (e) {
      if (callbackError) throw callbackError.error;
      throw fromNativeError(e, caller.stack);
    } finally {
      signal?.removeEventListener('abort', cancel);
    }
  });
}
