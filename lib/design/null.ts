/**
 * The permutation null of a design at n, signed (one- and two-sided tests read the same array):
 * nPre uniform permutations of y against x. With x tied and y continuous it is the null of the x
 * tie structure (the study's null, same permutations); with both margins fixed (ordinal y) it
 * depends on the two tie structures only. Built once per structure, kept in memory and, with
 * cacheDir, on disk like the study's nulls.
 * docs/methods.md, "Planning your own study".
 * @module
 */
import type { CallControls, Config } from '../config';
import { cacheFile, decodeFloat64, encodeFloat64, float64EntryBytes, readJsonCache, writeJsonCacheAtomic } from '../internal/disk-cache';
import { warn } from '../internal/log';
import { addonFor, runJob } from '../internal/native';
import { NULL_SEED, PVALUE_TOLERANCE, buildNullFallback, nullIdentity } from '../pvalues';
import { canonicalIdentity, identityKey } from '../streams';
import type { DesignAlternative } from './types';

const built = new Map<string, Promise<Float64Array>>();
/** Nulls kept in memory (least recently used dropped first). */
const MAX_KEPT_NULLS = 64;

/** Forgets the design nulls kept in memory (results are unaffected). */
export function clearDesignNullCache(): void {
  built.clear();
}

const NULL_KIND = 'design-null';

/** A cached payload as a signed null of nPre values (ascending, in [-1, 1]), or undefined. */
function validSignedNull(nPre: number) {
  return (payload: unknown): Float64Array | undefined => {
    if (payload === null || typeof payload !== 'object') return undefined;
    const values = decodeFloat64((payload as { sorted?: unknown }).sorted);
    if (!values || values.length !== nPre) return undefined;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (!(v >= -1 && v <= 1) || (i > 0 && v < values[i - 1]!)) return undefined;
    }
    return values;
  };
}

/**
 * Sorted signed rho of nPre permutations for x counts and y counts (null: untied y): from memory,
 * else the disk cache (cacheDir), else built and kept in memory (and, with saveCache, written to
 * cacheDir atomically). Its stream key is the study null's for untied y, so the |values| are the
 * study's null.
 */
export function designNull(
  counts: readonly number[],
  yCounts: readonly number[] | null,
  config: Pick<Config, 'nPre' | 'native' | 'threads' | 'verbose' | 'cacheDir' | 'saveCache'>,
  controls: CallControls,
): Promise<Float64Array> {
  const n = counts.reduce((a, b) => a + b, 0);
  const structure = { n, counts, allDistinct: false };
  const identity = yCounts ? { ...nullIdentity(structure, config.nPre), yCounts } : nullIdentity(structure, config.nPre);
  const cacheKey = { ...identity, signed: true };
  const id = canonicalIdentity(cacheKey);
  const hit = built.get(id);
  if (hit) {
    built.delete(id);
    built.set(id, hit);
    return hit;
  }
  const onProblem = (reason: string): void => warn(config.verbose, reason, 'SPEARSIM_CACHE');
  const file = config.cacheDir === undefined ? undefined : cacheFile(config.cacheDir, NULL_KIND, cacheKey);
  const fromDisk = file === undefined ? undefined : readJsonCache(file, NULL_KIND, cacheKey, validSignedNull(config.nPre), onProblem, float64EntryBytes(config.nPre));
  let pending: Promise<Float64Array>;
  if (fromDisk) {
    pending = Promise.resolve(fromDisk);
  } else {
    const key = identityKey(NULL_SEED, identity);
    const addon = addonFor(config);
    const ys = yCounts ?? [];
    pending = (
      addon
        ? runJob(addon, config.threads, controls, (token, onProgress) =>
            addon.buildNull({ counts: Uint32Array.from(counts), yCounts: Uint32Array.from(ys), keepSign: true, nPre: config.nPre, nullKey: key, threads: config.threads }, token, onProgress),
          )
        : buildNullFallback(counts, key, config.nPre, controls, ys, true)
    ).then((sorted) => {
      if (config.saveCache && file !== undefined) writeJsonCacheAtomic(file, NULL_KIND, cacheKey, { sorted: encodeFloat64(sorted) }, onProblem);
      return sorted;
    });
  }
  built.set(id, pending);
  pending.catch(() => built.delete(id));
  for (const old of built.keys()) {
    if (built.size <= MAX_KEPT_NULLS) break;
    built.delete(old);
  }
  return pending;
}

/** #{v >= t} in ascending `sorted`. */
function countFrom(sorted: Float64Array, t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return sorted.length - lo;
}

/** #{v <= t} in ascending `sorted`. */
function countUpTo(sorted: Float64Array, t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Permutation p-value (1 + N) / (1 + nPre) of rho-hat from a signed null: N counts permutations at
 * least as extreme in the alternative's direction (1e-12 tolerance, as everywhere).
 */
export function signedNullPvalue(sorted: Float64Array, rho: number, alternative: DesignAlternative): number {
  if (Number.isNaN(rho)) return NaN;
  let count: number;
  if (alternative === 'greater') count = countFrom(sorted, rho - PVALUE_TOLERANCE);
  else if (alternative === 'less') count = countUpTo(sorted, rho + PVALUE_TOLERANCE);
  else {
    const t = Math.abs(rho) - PVALUE_TOLERANCE;
    count = t <= 0 ? sorted.length : countFrom(sorted, t) + countUpTo(sorted, -t);
  }
  return (1 + count) / (1 + sorted.length);
}
