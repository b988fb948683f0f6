/**
 * Types of native/binding/power_binding.cc (permutation nulls, power), mirrored one to one.
 * @internal
 * @module
 */
import type { NativeGeneratorSpec } from './addon-generators';
import type { CancelToken, ProgressCallback } from './native';

/** Opaque handle of a native PowerSet (the sims of one scenario, generator and test). */
export type NativePowerSet = { readonly __brand: 'PowerSet' };

export interface PowerAddon {
  /**
   * nPre permutation values of rho of y (untied when yCounts is empty, else tied as yCounts)
   * against the tie structure `counts`, sorted: |rho|, or rho itself with keepSign.
   */
  buildNull(
    o: { counts: Uint32Array; yCounts: Uint32Array; keepSign: boolean; nPre: number; nullKey: bigint; threads: number },
    token: CancelToken | null,
    onProgress: ProgressCallback,
  ): Promise<Float64Array>;
  /** A power set; throws ERR_MEMORY_LIMIT if one sim does not fit in memoryLimit - fixedBytes. */
  createPowerSet(o: {
    generator: NativeGeneratorSpec;
    counts: Uint32Array;
    powerKey: bigint;
    nSims: number;
    values: boolean;
    /** 0 precomputed null, 1 Monte Carlo permutations, 2 t approximation. */
    method: number;
    alpha: number;
    sortedNull: Float64Array;
    nPerm: number;
    tCrit: number;
    /** Keep the sims' sets across evaluations (when they all fit). */
    keepSets: boolean;
    threads: number;
    memoryLimit: number;
    fixedBytes: number;
  }): NativePowerSet;
  /** The same evaluation on the calling thread with one kernel thread (small evaluations). */
  powerEvaluateSync(set: NativePowerSet, o: PowerEvaluateRequest): { rejections: number; sumRho: number; rhoHat?: Float64Array; p?: Float64Array; regions?: Int8Array };
  /** Frees a power set now (its later use is ERR_INVALID_TYPE); a running evaluation finishes first. */
  releasePowerSet(set: NativePowerSet): void;
  /** One evaluation of a power set at the generator mix (mixA, mixB). */
  powerEvaluate(
    set: NativePowerSet,
    o: PowerEvaluateRequest,
    token: CancelToken | null,
    onProgress: ProgressCallback,
  ): Promise<{ rejections: number; sumRho: number; rhoHat?: Float64Array; p?: Float64Array; regions?: Int8Array }>;
}

/**
 * One evaluation request: the generator mix. `bracketed` = a bisection step (rejections and the
 * sims' regions, see native/power.hpp evaluateBracketed) with the regions at the bracket's ends.
 */
export interface PowerEvaluateRequest {
  mixA: number;
  mixB: number;
  keepPerSim: boolean;
  bracketed?: boolean;
  lower?: Int8Array;
  upper?: Int8Array;
}
