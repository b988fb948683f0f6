/**
 * Permutation p-values of Spearman's rho with tied x (docs/methods.md, "P-values and power" and "Departures from the reference"): the
 * precomputed null per tie structure (with memory and disk caches), per-dataset Monte Carlo
 * permutation p-values and the t approximation. The kernels mirror native/pvalues.hpp line by
 * line (see there for the partial-shuffle layout and the stream layout), so both engines give the
 * same bits.
 *
 * p-value rule: N = #{ |rho_perm| >= |rho_hat| - 1e-12 }, p = (1 + N) / (1 + m).
 * Spearman values are rationals with massive exact ties and the tolerance makes equality count
 * even if two formulas round differently; here both sides even use the same exact formula.
 * @module
 */
import { Yielder } from './internal/yielder';
import { type CallControls, type Config, checkControls, resolveConfig } from './config';
import { SpearsimError, abortError, describeValue, rangeError, throwIfAborted, typeError } from './errors';
import { cacheFile, decodeFloat64, encodeFloat64, float64EntryBytes, readJsonCache, writeJsonCacheAtomic } from './internal/disk-cache';
import { warn } from './internal/log';
import { addonFor, runJob } from './internal/native';
import { type Provenance, provenance } from './provenance';
import { studentTTwoSidedP } from './noncentral-t';
import { rhoFromExact } from './ranks';
import { sampleSize, tieCounts } from './internal/validate';
import { Rng, childKey } from './rng';
import { type TieStructure, structureIdentity } from './scenario';
import { type StreamIdentity, canonicalIdentity, identityKey } from './streams';

export { STREAM_PERM } from './kernels/constants';
/** Permutations per child stream of a null's key (native kNullBlock). */
export const NULL_BLOCK = 1024;
/** Tolerance of the p-value comparison (docs/methods.md, "P-values and power"). */
export const PVALUE_TOLERANCE = 1e-12;
/** Version of the null-building algorithm; part of every null's key, so a change never reuses old nulls. */
export const NULL_ALGO = 'partial-fy-v1';
/** Base seed of every null (the reference's pre-warm seed): a null depends on its structure only (docs/reproducibility.md, "Seeds"). */
export const NULL_SEED = 42;

/** A tie structure arranged for drawing permutation statistics (mirror of native PermutationLayout). */
export class PermutationLayout {
  readonly n: number;
  readonly tiesX: number;
  /** Positions [fixedBelow, n) are shuffled; [0, fixedBelow) hold the largest ("free") group. */
  readonly fixedBelow: number;
  /** r_g - r_free of the group owning each position (0 below fixedBelow). */
  private readonly positionCoef: Float64Array;

  /** counts: group sizes in ascending-x order (at least two groups). */
  constructor(counts: readonly number[]) {
    tieCounts(counts, undefined, undefined, 2);
    const total = sampleSize('n', counts.reduce((a, b) => a + b, 0));
    this.n = total;
    let free = 0;
    for (let g = 1; g < counts.length; g++) if (counts[g]! > counts[free]!) free = g;
    const rank2: number[] = [];
    let before = 0;
    let ties = 0;
    for (const c of counts) {
      rank2.push(2 * before + c - total);
      before += c;
      ties += c * c * c - c;
    }
    this.tiesX = ties;
    this.fixedBelow = counts[free]!;
    this.positionCoef = new Float64Array(total);
    let at = this.fixedBelow;
    counts.forEach((c, g) => {
      if (g === free) return;
      this.positionCoef.fill(rank2[g]! - rank2[free]!, at, at + c);
      at += c;
    });
  }

  /** Draws one permutation of y (doubled centred ranks, rearranged in place); returns its sxy4. */
  draw(rng: Rng, y: Int32Array): number {
    const coef = this.positionCoef;
    let sxy4 = 0;
    for (let i = this.n; i > this.fixedBelow; i--) {
      const j = rng.bounded(i);
      const picked = y[j]!;
      y[j] = y[i - 1]!;
      y[i - 1] = picked;
      sxy4 += coef[i - 1]! * picked;
    }
    return sxy4;
  }
}

/** Doubled centred ranks of untied y in ascending order: 1 - n, 3 - n, ..., n - 1. */
export function untiedRanks(n: number, y: Int32Array): void {
  for (let i = 0; i < n; i++) y[i] = 2 * i + 1 - n;
}

/** #{ |rho_b| >= |rho| - 1e-12 } by binary search in a sorted null. */
export function countAtLeast(sortedAbs: Float64Array, rho: number): number {
  const threshold = Math.abs(rho) - PVALUE_TOLERANCE;
  let lo = 0;
  let hi = sortedAbs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sortedAbs[mid]! < threshold) lo = mid + 1;
    else hi = mid;
  }
  return sortedAbs.length - lo;
}

/** p = (1 + N) / (1 + n_pre) from a sorted null (NaN for a NaN rho). */
export function nullPvalue(sortedAbs: Float64Array, rho: number): number {
  if (Number.isNaN(rho)) return NaN;
  return (1 + countAtLeast(sortedAbs, rho)) / (1 + sortedAbs.length);
}

/** Monte Carlo permutation p-value of one dataset (mirror of native mcPermutationPvalue). */
export function mcPermutationPvalue(layout: PermutationLayout, y: Int32Array, tiesY: number, rhoHat: number, nPerm: number, rng: Rng): number {
  if (Number.isNaN(rhoHat)) return NaN;
  const threshold = Math.abs(rhoHat) - PVALUE_TOLERANCE;
  let count = 0;
  for (let b = 0; b < nPerm; b++) {
    const rho = rhoFromExact(layout.draw(rng, y), layout.n, layout.tiesX, tiesY);
    if (Math.abs(rho) >= threshold) count++;
  }
  return (1 + count) / (1 + nPerm);
}

/** t statistic of the t approximation: p < alpha exactly when |t| > t_{n-2}(1 - alpha/2). */
export function tStatistic(rho: number, n: number): number {
  const d = 1 - rho * rho;
  return rho * Math.sqrt((n - 2) / (d > 1e-15 ? d : 1e-15));
}

/** Two-sided t-approximation p-value 2 (1 - T_{n-2}(|t|)) of a Spearman value. */
export function studentTTwoSidedPFromRho(rho: number, n: number): number {
  return studentTTwoSidedP(tStatistic(rho, n), n - 2);
}

/** Per-dataset Monte Carlo permutations: the configured count, or 1000 if nSims >= 5000 else 2000. */
export function adaptiveNPerm(nSims: number, nPerm: number): number {
  if (nPerm > 0) return nPerm;
  return nSims >= 5000 ? 1000 : 2000;
}

// ---------------------------------------------------------------------------------------------
// The precomputed null: build, memory cache, disk cache

/** Complete identity (and cache key) of a null (docs/reproducibility.md, "Caches"). */
export function nullIdentity(structure: TieStructure, nPre: number): StreamIdentity {
  return { task: 'null', ...structureIdentity(structure), nPre, algo: NULL_ALGO, seed: NULL_SEED };
}

/** Stream key of a null: seeded by the structure, independent of any user seed and of build order. */
export function nullKey(structure: TieStructure, nPre: number): bigint {
  return identityKey(NULL_SEED, nullIdentity(structure, nPre));
}

/** Doubled centred ranks of y in ascending order: untied when yCounts is empty, else midranks of its groups (mirror of native marginRanks). */
export function marginRanks(n: number, yCounts: readonly number[], y: Int32Array): void {
  if (yCounts.length === 0) {
    untiedRanks(n, y);
    return;
  }
  let at = 0;
  for (const c of yCounts) {
    y.fill(2 * at + c - n, at, at + c);
    at += c;
  }
}

/** Sum of c^3 - c over the y groups (0 for untied y). */
export function marginTies(yCounts: readonly number[]): number {
  let ties = 0;
  for (const c of yCounts) ties += c * c * c - c;
  return ties;
}

/**
 * TypeScript mirror of native buildNull: nPre permutation values of rho of y (untied, or tied as
 * yCounts) against the structure `counts`, sorted: |rho|, or rho itself with keepSign.
 */
export async function buildNullFallback(
  counts: readonly number[],
  key: bigint,
  nPre: number,
  controls: CallControls,
  yCounts: readonly number[] = [],
  keepSign = false,
): Promise<Float64Array> {
  const layout = new PermutationLayout(counts);
  const n = layout.n;
  if (yCounts.length > 0 && (yCounts.length < 2 || yCounts.some((c) => !Number.isInteger(c) || c < 1) || yCounts.reduce((a, b) => a + b, 0) !== n)) {
    throw new SpearsimError('ERR_INVALID_COUNTS', 'yCounts must list at least 2 positive groups summing to n', { option: 'yCounts', value: yCounts });
  }
  const out = new Float64Array(nPre);
  const y = new Int32Array(n);
  const yielder = new Yielder(controls.signal);
  const blocks = Math.ceil(nPre / NULL_BLOCK);
  for (let j = 0; j < blocks; j++) {
    const rng = new Rng(childKey(key, j));
    marginRanks(n, yCounts, y);
    const to = Math.min(nPre, (j + 1) * NULL_BLOCK);
    for (let b = j * NULL_BLOCK; b < to; b++) {
      const s = layout.draw(rng, y);
      out[b] = keepSign ? s + 0 : Math.abs(s); // + 0: no -0 (native sums integers)
    }
    if (yielder.due()) {
      controls.onProgress?.(to, nPre);
      await yielder.pause();
    }
  }
  throwIfAborted(controls.signal);
  out.sort();
  const tiesY = marginTies(yCounts);
  for (let b = 0; b < nPre; b++) out[b] = rhoFromExact(out[b]!, n, layout.tiesX, tiesY);
  controls.onProgress?.(nPre, nPre);
  return out;
}

/** Where a null came from. */
export type NullSource = 'memory' | 'disk' | 'built';

const memoryNulls = new Map<string, Float64Array>();
const building = new Map<string, Promise<Float64Array>>();

/** Empties the in-memory null cache (tests, long-running processes). */
export function clearNullCache(): void {
  memoryNulls.clear();
}

/** Drops one null from the in-memory cache (a null built only to time the build, see measureUnitCosts). */
export function forgetNull(structure: TieStructure, nPre: number): void {
  memoryNulls.delete(canonicalIdentity(nullIdentity(structure, nPre)));
}

const NULL_KIND = 'null';
const NULL_BYTES_PER_PERMUTATION = 8 + 8 + 64;

function validNull(nPre: number) {
  return (payload: unknown): Float64Array | undefined => {
    if (payload === null || typeof payload !== 'object') return undefined;
    const values = decodeFloat64((payload as { sortedAbs?: unknown }).sortedAbs);
    if (!values || values.length !== nPre) return undefined;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (!(v >= 0 && v <= 1) || (i > 0 && v < values[i - 1]!)) return undefined;
    }
    return values;
  };
}

/**
 * A null already available without building: memory, else the disk cache (config.cacheDir).
 * Used by the MC-on-cache-miss rule, which must not build.
 */
export function cachedNull(structure: TieStructure, config: Pick<Config, 'nPre' | 'cacheDir' | 'verbose'>): { sortedAbs: Float64Array; source: NullSource } | undefined {
  const identity = nullIdentity(structure, config.nPre);
  const id = canonicalIdentity(identity);
  const inMemory = memoryNulls.get(id);
  if (inMemory) return { sortedAbs: inMemory, source: 'memory' };
  if (config.cacheDir === undefined) return undefined;
  const fromDisk = readJsonCache(
    cacheFile(config.cacheDir, NULL_KIND, identity), NULL_KIND, identity, validNull(config.nPre),
    (reason) => warn(config.verbose, reason, 'SPEARSIM_CACHE'),
    float64EntryBytes(config.nPre),
  );
  if (!fromDisk) return undefined;
  memoryNulls.set(id, fromDisk);
  return { sortedAbs: fromDisk, source: 'disk' };
}

/**
 * The null of a tie structure: from memory or disk, else built (native or fallback), kept in memory
 * and, with saveCache and cacheDir, written atomically to disk. Concurrent requests share one build.
 */
export async function ensureNull(structure: TieStructure, config: Config, controls: CallControls): Promise<{ sortedAbs: Float64Array; source: NullSource; engine: 'native' | 'typescript' | null }> {
  const cached = cachedNull(structure, config);
  if (cached) return { ...cached, engine: null };
  // the native array, its JS copy and the counting sort's histogram (at most 16 nPre + 1024 counters)
  const need = NULL_BYTES_PER_PERMUTATION * config.nPre + 4096;
  if (need > config.memoryLimit) {
    throw new SpearsimError(
      'ERR_MEMORY_LIMIT',
      `memoryLimit ${config.memoryLimit} bytes cannot hold a null of nPre=${config.nPre} permutations: ${need} bytes are needed; raise memoryLimit or lower nPre`,
      { option: 'memoryLimit', value: config.memoryLimit, expected: `at least ${need} bytes` },
    );
  }
  const identity = nullIdentity(structure, config.nPre);
  const id = canonicalIdentity(identity);
  const addon = addonFor(config);
  let pending = building.get(id);
  if (!pending) {
    const key = nullKey(structure, config.nPre);
    pending = (async () => {
      const sortedAbs = addon
        ? await runJob(addon, config.threads, controls, (token, onProgress) =>
            addon.buildNull(
              { counts: Uint32Array.from(structure.counts), yCounts: new Uint32Array(0), keepSign: false, nPre: config.nPre, nullKey: key, threads: config.threads },
              token,
              onProgress,
            ),
          )
        : await buildNullFallback(structure.counts, key, config.nPre, controls);
      memoryNulls.set(id, sortedAbs);
      if (config.saveCache && config.cacheDir !== undefined) {
        writeJsonCacheAtomic(cacheFile(config.cacheDir, NULL_KIND, identity), NULL_KIND, identity, { sortedAbs: encodeFloat64(sortedAbs) }, (reason) =>
          warn(config.verbose, reason, 'SPEARSIM_CACHE'),
        );
      }
      return sortedAbs;
    })();
    building.set(id, pending);
    pending.then(
      () => building.delete(id),
      () => building.delete(id),
    );
  }
  return { sortedAbs: await pending, source: 'built', engine: addon ? 'native' : 'typescript' };
}

/** Options of {@link nullDistribution}. */
export type NullOptions = Partial<Pick<Config, 'nPre' | 'native' | 'threads' | 'cacheDir' | 'saveCache' | 'verbose' | 'memoryLimit'>> & CallControls;

/** A precomputed permutation null. */
export interface NullDistribution {
  /** Sample size. */
  n: number;
  /** x group sizes in ascending x order. */
  counts: readonly number[];
  /** Whether x has no ties. */
  allDistinct: boolean;
  /** Permutations. */
  nPre: number;
  /** |rho| of the nPre permutations, ascending. */
  sortedAbs: Float64Array;
  /** Where it came from in this call. */
  source: NullSource;
  /** Configuration, version and engine (the null's seed is its structure's, not `seed`). */
  provenance: Provenance;
}

function checkStructure(structure: TieStructure): void {
  if (structure === null || typeof structure !== 'object' || !Array.isArray(structure.counts)) {
    throw new SpearsimError('ERR_INVALID_TYPE', 'structure must be a tie structure { n, counts, allDistinct } (e.g. a Scenario)', { option: 'structure' });
  }
  if (typeof structure.n !== 'number' || !Number.isInteger(structure.n)) throw rangeError('n', structure.n, 'an integer');
  const counts = tieCounts(structure.counts, structure.n);
  if (typeof structure.allDistinct !== 'boolean') throw typeError('allDistinct', structure.allDistinct, 'a boolean');
  // the null's identity (and its cache entry) includes allDistinct: tied counts filed as all
  // distinct would be one structure's null under another's name
  if (structure.allDistinct && !counts.every((c) => c === 1)) {
    throw new SpearsimError('ERR_INVALID_COUNTS', `allDistinct is true, but counts ${describeValue(structure.counts)} hold ties`, {
      option: 'allDistinct',
      value: structure.allDistinct,
      expected: 'allDistinct true only when every count is 1',
    });
  }
}

/**
 * The permutation null of Spearman's rho for a tie structure (docs/methods.md, "P-values and power"): nPre uniform permutations
 * of untied y against the structure's x, seeded by the structure itself, sorted |rho|.
 */
export async function nullDistribution(structure: TieStructure, options: NullOptions = {}): Promise<NullDistribution> {
  const config = resolveConfig(options);
  const controls = checkControls(options);
  checkStructure(structure);
  new PermutationLayout(structure.counts); // validates the counts before any work
  const got = await ensureNull(structure, config, controls);
  const addonUsed = got.engine ?? (addonFor(config) ? 'native' : 'typescript');
  return {
    n: structure.n,
    counts: structure.counts,
    allDistinct: structure.allDistinct,
    nPre: config.nPre,
    sortedAbs: got.sortedAbs,
    source: got.source,
    provenance: provenance(config, addonUsed),
  };
}

export { Yielder };
