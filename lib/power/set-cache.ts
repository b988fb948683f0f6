/**
 * The kept power sets of this realm: the rho-independent draws of the sims, least recently used
 * first, with reference counts of the sessions using them.
 * @module
 */
import type { Config } from '../config';
import type { NativePowerSet } from '../internal/addon-power';
import type { NativeAddon } from '../internal/native';
import type { PowerSet } from '../kernels/power';

/** The sims of a session on one engine. */
export type Sims = { native: NativePowerSet; fallback?: undefined } | { native?: undefined; fallback: PowerSet };

/** Sims whose kept sets have been drawn (by a first evaluation). */
export const drawnSims = new WeakSet<Sims>();

/** Frees a session's native sims now instead of at garbage collection (V8 does not see their size). */
export function releaseSims(sims: Sims, addon: NativeAddon | null): void {
  if (sims.native && addon) addon.releasePowerSet(sims.native);
}

/** A kept set: its sims, their bytes, the sessions using it, and whether it has left the cache. */
export interface CacheEntry {
  sims: Sims;
  bytes: number;
  users: number;
  evicted: boolean;
  addon: NativeAddon | null;
}

/**
 * Kept power sets (the rho-independent draws of the sims), least recently used first. A set is a
 * pure function of its identity, so reusing it changes no result; it saves the generation on
 * repeated estimates and lets estimates at several rho share their sims (common random numbers).
 * Sessions hold their entry while they use it; an evicted entry is freed when its last user ends.
 */
const setCache = new Map<string, CacheEntry>();
let cachedBytes = 0;
const MIB = 1024 * 1024;

/** Memory the kept power sets may hold: a quarter of memoryLimit, at most 512 MiB. */
export function cacheBudget(config: Config): number {
  return Math.min(config.memoryLimit / 4, 512 * MIB);
}

function evict(id: string, entry: CacheEntry): void {
  setCache.delete(id);
  cachedBytes -= entry.bytes;
  entry.evicted = true;
  if (entry.users === 0) releaseSims(entry.sims, entry.addon);
}

export function remember(id: string, entry: CacheEntry, budget: number): void {
  setCache.set(id, entry);
  cachedBytes += entry.bytes;
  for (const [oldId, old] of setCache) {
    if (cachedBytes <= budget || old === entry) break;
    evict(oldId, old);
  }
}

/** The kept set of `id`, now the most recently used, or undefined. */
export function cachedSims(id: string): CacheEntry | undefined {
  const hit = setCache.get(id);
  if (hit) {
    setCache.delete(id); // re-insert: most recently used last
    setCache.set(id, hit);
  }
  return hit;
}

/** Forgets (and frees) the kept power sets; sets in use are freed when their calls end. Results are unaffected. */
export function clearPowerCache(): void {
  for (const [id, entry] of [...setCache]) evict(id, entry);
}

