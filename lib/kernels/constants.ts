/**
 * The constants TypeScript and C++ share, from their one source lib/kernels/shared-constants.json
 * (native/constants.hpp is generated from it by scripts/gen-constants.js).
 * @module
 */
import constants from './shared-constants.json';

/** Largest n for which every intermediate of the exact Spearman stays an integer below 2^53. */
export const MAX_EXACT_N = constants.maxExactN.value;
/** Most datasets of an expected bootstrap CI (option nReps). */
export const MAX_REPS = constants.maxReps.value;
/** Most datasets of a power evaluation (option nSims). */
export const MAX_SIMS = constants.maxSims.value;
/** Most resamples per dataset (option nBoot). */
export const MAX_BOOT = constants.maxBoot.value;
/** Most permutations of a precomputed null (option nPre). */
export const MAX_PRE = constants.maxPre.value;
/** Most calibration datasets (option nCal). */
export const MAX_CAL = constants.maxCal.value;
/** Most Monte Carlo permutations per dataset (option nPerm). */
export const MAX_PERM = constants.maxPerm.value;
/** Purpose label of a rep's data stream. */
export const STREAM_DATA = BigInt(constants.streamData.value);
/** Purpose label of a rep's bootstrap stream. */
export const STREAM_BOOT = BigInt(constants.streamBoot.value);
/** Purpose label of a sim's Monte Carlo permutation stream. */
export const STREAM_PERM = BigInt(constants.streamPerm.value);
/** Permutations per child stream of a real-data permutation test's key. */
export const TEST_BLOCK = constants.testBlock.value;
/** Largest chunk of sims of a native power evaluation. */
export const NATIVE_MAX_CHUNK = constants.maxChunkSims.value;
/** z of the 95 % order-statistic band from which a bootstrap endpoint's Monte Carlo SE is read. */
export const MC_SE_Z = constants.mcSeZ.value;

/**
 * Per-thread scratch of a dataset evaluation (drawn parts, placed items and keys, buckets, the
 * full-sort fallback), in bytes: the one memory-budget formula of both languages.
 */
export function threadScratchBytes(n: number): number {
  return n * constants.scratchBytesPerItem.value + constants.scratchBytesPerThread.value;
}

/** Bytes `count` stored datasets of size n hold (items, per-dataset rho and pool ties). */
export function storedDatasetBytes(n: number, count: number): number {
  return count * (n * constants.storedBytesPerItem.value + constants.storedBytesPerDataset.value);
}
