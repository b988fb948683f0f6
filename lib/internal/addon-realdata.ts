/**
 * Types of native/binding/realdata_binding.cc (the permutation test and the jackknife of one real
 * dataset), mirrored one to one.
 * @internal
 * @module
 */
import type { CancelToken, ProgressCallback } from './native';

export interface RealDataAddon {
  /** Permutations, among nPerm, whose sxy4 is <= lower or >= upper (native/permutation_test.hpp). */
  permutationTest(
    o: { counts: Uint32Array; yRanks: Float64Array; testKey: bigint; nPerm: number; lower: number; upper: number; threads: number },
    token: CancelToken | null,
    onProgress: ProgressCallback,
  ): Promise<number>;
  /** The leave-one-out Spearman values of (x, y) (native/jackknife.hpp). */
  jackknife(o: { x: Float64Array; y: Float64Array }, token: CancelToken | null): Promise<Float64Array>;
}
