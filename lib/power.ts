/**
 * Monte Carlo power and the minimum detectable rho (spec 04), on the native kernel
 * (native/power.hpp) or its TypeScript mirror below; both give the same bits.
 *
 * Streams: a power evaluation's key is identityKey(seed, {task: 'power', n, counts, allDistinct,
 * generator, direction}); sim i is dataset i of its data stream (the calibration datasets'
 * layout), MC permutations come from the sim's third stream. The minimum-detectable-rho search
 * evaluates one set of sims at every bisection step (common random numbers), so the search is
 * deterministic and its steps differ only through the generator input.
 * @module
 */
import { createHash } from 'node:crypto';
import { type CallControls, type Config, type GeneratorName, checkControls, resolveConfig } from './config';
import { SpearsimError, rangeError, throwIfAborted } from './errors';
import { type Direction, neededDirection } from './asymptotic';
import { CalibrationSet, calibratedInput, calibrationBytes } from './calibration';
import {
  type EmpiricalPoolSpec, type GeneratorSetup, type Mix, Generator, generatorFor, generatorSetup, mixAt, nativeGeneratorSpec, newDatasetParts,
  valuesFor,
} from './generators';
import type { NativePowerSet } from './internal/addon-power';
import { warn } from './internal/log';
import { generatorEntry } from './kernels/generators/table';
import { type NativeAddon, callSync, engine, runJob } from './internal/native';
import { tQuantile } from './noncentral-t';
import { type Provenance, provenance } from './provenance';
import {
  type NullSource, PermutationLayout, STREAM_PERM, Yielder, adaptiveNPerm, cachedNull, ensureNull, mcPermutationPvalue,
  nullPvalue, tStatistic, studentTTwoSidedPFromRho,
} from './pvalues';
import { doubledCentredRanks, rhoFromExact } from './ranks';
import { Rng } from './rng';
import { type Scenario, type ScenarioSpec, resolveScenario, type ScenarioSummary, scenarioSummary } from './scenario';
import { STREAM_DATA, canonicalIdentity, identityKey, repStreamKey } from './streams';

/** How the sims are tested (spec 04 A, B, C). */
export type PvalueMethod = 'null' | 'monte-carlo' | 't-approximation';
const METHOD_CODES: Readonly<Record<PvalueMethod, number>> = { null: 0, 'monte-carlo': 1, 't-approximation': 2 };

/** Bounds of the minimum-detectable-rho search for the positive direction (spec 04). */
export const SEARCH_BOUNDS: readonly [number, number] = [0.25, 0.42];
/** The search stops when hi - lo <= this (12 halvings of 0.17). */
export const SEARCH_TOLERANCE = 0.49e-4;
/** |result - bound| below this is a boundary hit. */
export const BOUNDARY_EPS = 1e-4;
/** No boundary warning at or below this many sims (spec 04). */
export const BOUNDARY_MIN_SIMS = 50;
/**
 * Largest chunk of sims of the TypeScript fallback, which yields to the event loop between chunks:
 * about 20 000 rank operations per chunk (a few ms), and Monte Carlo chunks sized by their
 * permutations (n x nPerm work per sim).
 */
function fallbackMaxChunk(n: number, monteCarlo: boolean, nPerm: number): number {
  return Math.max(1, Math.floor(monteCarlo ? 2_500_000 / (n * nPerm) : 20_480 / n));
}
/** Native kMaxChunkSims. */
const NATIVE_MAX_CHUNK = 4096;
/**
 * Evaluations of at most this many rank operations (nSims x n) run synchronously on one kernel
 * thread: at most ~2 ms even when the sims are drawn, shorter than handing a job to the thread
 * pool and back. Results do not depend on the path (or the thread count).
 */
const SYNC_WORK_LIMIT = 50_000;

// ---------------------------------------------------------------------------------------------
// Memory plan (mirror of native planPowerMemory)

/** Chunking of the sims of an evaluation. */
export interface PowerPlan {
  /** Sims per chunk. */
  chunkSims: number;
  /** Every chunk's set stays in memory across evaluations. */
  keepSets: boolean;
  /** Bytes the plan needs. */
  bytes: number;
  /** Bytes with a chunk of one sim. */
  minimalBytes: number;
}

const SIM_OUTPUT_BYTES = 16;

/**
 * Mirror of native planPowerMemory: keep every chunk's set across evaluations if wanted and all
 * fit, else process chunks of the largest size that fits (at most maxChunk).
 */
export function planPowerMemory(
  n: number,
  nSims: number,
  monteCarlo: boolean,
  wantKeep: boolean,
  threads: number,
  memoryLimit: number,
  fixedBytes: number,
  maxChunk: number,
): PowerPlan {
  const t = Math.max(1, threads);
  const base = monteCarlo ? t * (n * 160 + 65536) : calibrationBytes(n, 0, t);
  const perSim = SIM_OUTPUT_BYTES + (monteCarlo ? 0 : calibrationBytes(n, 1, t) - calibrationBytes(n, 0, t));
  const minimal = fixedBytes + base + perSim;
  if (memoryLimit < minimal) {
    throw new SpearsimError(
      'ERR_MEMORY_LIMIT',
      `memoryLimit ${memoryLimit} bytes cannot hold one power chunk: ${minimal} bytes are needed (n=${n}, threads=${t}); ` +
        'raise memoryLimit or lower threads, nPre or the per-sim outputs',
      { option: 'memoryLimit', value: memoryLimit, expected: `at least ${minimal} bytes` },
    );
  }
  const cap = Math.min(nSims, Math.max(1, maxChunk));
  if (!monteCarlo && wantKeep) {
    const full = Math.floor(nSims / cap);
    const rest = nSims % cap;
    const all = fixedBytes + cap * SIM_OUTPUT_BYTES + full * calibrationBytes(n, cap, t) + (rest > 0 ? calibrationBytes(n, rest, t) : 0);
    if (all <= memoryLimit) return { chunkSims: cap, keepSets: true, bytes: all, minimalBytes: minimal };
  }
  const chunk = Math.min(cap, Math.floor((memoryLimit - fixedBytes - base) / perSim));
  return { chunkSims: chunk, keepSets: false, bytes: fixedBytes + base + chunk * perSim, minimalBytes: minimal };
}

// ---------------------------------------------------------------------------------------------
// TypeScript mirror of native PowerSet

interface PowerTest {
  method: PvalueMethod;
  alpha: number;
  sortedNull: Float64Array | null;
  nPerm: number;
  tCrit: number;
}

/** Rejections and rho-hat sum (in sim order) of one evaluation. */
interface PowerTally {
  rejections: number;
  sumRho: number;
}

/** Per-sim outputs of one evaluation. */
export interface PerSimResults {
  /** Spearman's rho of each simulated dataset. */
  rhoHat: Float64Array;
  /** p-values (t approximation: 2 (1 - T_{n-2}(|t|))). */
  p: Float64Array;
}

class PowerSetFallback {
  private readonly gen: Generator;
  private readonly layout: PermutationLayout;
  private readonly sets: CalibrationSet[] = [];

  constructor(
    private readonly setup: GeneratorSetup,
    counts: readonly number[],
    private readonly key: bigint,
    private readonly nSims: number,
    private readonly values: boolean,
    private readonly test: PowerTest,
    private readonly plan: PowerPlan,
  ) {
    this.gen = new Generator(setup);
    this.layout = new PermutationLayout(counts);
  }

  private chunkRhos(chunk: number, first: number, count: number, mix: Mix, rho: Float64Array, signal?: AbortSignal): void {
    if (this.plan.keepSets) {
      if (this.sets.length <= chunk) this.sets.push(new CalibrationSet(this.setup, this.key, count, signal, first));
      this.sets[chunk]!.datasetRhos(mix, rho);
      return;
    }
    new CalibrationSet(this.setup, this.key, count, signal, first).datasetRhos(mix, rho);
  }

  private chunkMonteCarlo(first: number, count: number, mix: Mix, rho: Float64Array, p: Float64Array): void {
    const n = this.gen.n;
    const parts = newDatasetParts(n);
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    const rank2 = new Float64Array(n);
    const permuted = new Int32Array(n);
    for (let j = 0; j < count; j++) {
      const sim = first + j;
      this.gen.generate(new Rng(repStreamKey(this.key, sim, STREAM_DATA)), mix, this.values, parts, x, y);
      const tiesY = doubledCentredRanks(y, rank2);
      let sxy4 = 0;
      for (let k = 0; k < n; k++) {
        sxy4 += parts.xRank2[k]! * rank2[k]!;
        permuted[k] = rank2[k]!;
      }
      let r = rhoFromExact(sxy4, n, this.gen.xTies, tiesY);
      if (Number.isNaN(r)) r = 0; // constant y counts as 0, as in the set path (spec 04 guard)
      rho[j] = r;
      p[j] = mcPermutationPvalue(this.layout, permuted, tiesY, r, this.test.nPerm, new Rng(repStreamKey(this.key, sim, STREAM_PERM)));
    }
  }

  async evaluate(mix: Mix, controls: CallControls, out: PerSimResults | null): Promise<PowerTally> {
    const { chunkSims } = this.plan;
    const n = this.gen.n;
    const rho = new Float64Array(Math.min(chunkSims, this.nSims));
    const p = new Float64Array(rho.length);
    const yielder = new Yielder(controls.signal);
    let rejections = 0;
    let sumRho = 0;
    for (let first = 0, chunk = 0; first < this.nSims; first += chunkSims, chunk++) {
      throwIfAborted(controls.signal);
      const count = Math.min(chunkSims, this.nSims - first);
      if (this.test.method === 'monte-carlo') {
        this.chunkMonteCarlo(first, count, mix, rho, p);
      } else {
        this.chunkRhos(chunk, first, count, mix, rho, controls.signal);
        for (let j = 0; j < count; j++) p[j] = this.test.method === 'null' ? nullPvalue(this.test.sortedNull!, rho[j]!) : NaN;
      }
      for (let j = 0; j < count; j++) {
        const reject = this.test.method === 't-approximation' ? Math.abs(tStatistic(rho[j]!, n)) > this.test.tCrit : p[j]! < this.test.alpha;
        if (reject) rejections++;
        sumRho += rho[j]!;
      }
      if (out) {
        out.rhoHat.set(rho.subarray(0, count), first);
        out.p.set(p.subarray(0, count), first);
      }
      if (yielder.due()) {
        controls.onProgress?.(first + count, this.nSims);
        await yielder.pause();
      }
    }
    controls.onProgress?.(this.nSims, this.nSims);
    return { rejections, sumRho };
  }
}

// ---------------------------------------------------------------------------------------------
// A power session: one scenario, generator, test and set of sims, evaluated at any target rho

/** Options of {@link estimatePower}, {@link minDetectableRho} and {@link powerCurve}. */
export type PowerOptions = Partial<
  Pick<
    Config,
    | 'generator' | 'nSims' | 'alpha' | 'seed' | 'targetPower' | 'nPre' | 'nPerm' | 'nCal' | 'calibrationMode' | 'usePermutationPvalue'
    | 'pvalueMcOnCacheMiss' | 'empiricalUsePrecomputedNull' | 'vectorize' | 'cacheDir' | 'saveCache' | 'threads' | 'memoryLimit'
    | 'native' | 'verbose'
  >
> &
  CallControls & {
    /** Search / stream direction; default: the sign of rho (estimatePower) or the scenario's needed direction. */
    direction?: Direction;
    /** Empirical y pool specification (spec 02 §4). */
    pool?: EmpiricalPoolSpec;
    /** Return per-sim rho-hat and p-values (estimatePower only; memory 16 bytes per sim). */
    keepPerSim?: boolean;
  };

/** Per-call keys besides the configuration. */
const SEARCH_KEYS = ['direction', 'pool'] as const;
const ESTIMATE_KEYS = [...SEARCH_KEYS, 'rho', 'keepPerSim'] as const;

/** The directions of a directionMode: the needed one, or [positive, negative]. */
export function searchDirections(scenarioOrSpec: Scenario | ScenarioSpec, mode: Config['directionMode']): Direction[] {
  return mode === 'both' ? ['positive', 'negative'] : [neededDirection(resolveScenario(scenarioOrSpec))];
}

function checkDirection(direction: unknown): Direction | undefined {
  if (direction === undefined) return undefined;
  if (direction !== 'positive' && direction !== 'negative') throw rangeError('direction', direction, '"positive" or "negative"');
  return direction;
}

/** One power evaluation's outcome. */
export interface PowerPoint {
  /** Target Spearman rho. */
  rho: number;
  /** Generator input simulated (calibrated). */
  rhoIn: number;
  /** Rejection rate #(p < alpha) / nSims. */
  power: number;
  /** Binomial SE sqrt(power (1 - power) / nSims). */
  se: number;
  /** Mean rho-hat of the simulated datasets (the realised effect). */
  realisedMeanRho: number;
}

/** One step of a minimum-detectable-rho search. */
export type SearchStep = Omit<PowerPoint, 'realisedMeanRho'>;

/** Each sim's test outcome region (-1, 0, +1) at the ends of a search's bracket, once known. */
interface SearchBracket {
  lower?: Int8Array;
  upper?: Int8Array;
}

/** The sims of a session on one engine. */
type Sims = { native: NativePowerSet; fallback?: undefined } | { native?: undefined; fallback: PowerSetFallback };

/** Sims whose kept sets have been drawn (by a first evaluation). */
const drawnSims = new WeakSet<Sims>();

/** Frees a session's native sims now instead of at garbage collection (V8 does not see their size). */
function releaseSims(sims: Sims, addon: NativeAddon | null): void {
  if (sims.native && addon) addon.releasePowerSet(sims.native);
}

/** A kept set: its sims, their bytes, the sessions using it, and whether it has left the cache. */
interface CacheEntry {
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
function cacheBudget(config: Config): number {
  return Math.min(config.memoryLimit / 4, 512 * MIB);
}

function evict(id: string, entry: CacheEntry): void {
  setCache.delete(id);
  cachedBytes -= entry.bytes;
  entry.evicted = true;
  if (entry.users === 0) releaseSims(entry.sims, entry.addon);
}

function remember(id: string, entry: CacheEntry, budget: number): void {
  setCache.set(id, entry);
  cachedBytes += entry.bytes;
  for (const [oldId, old] of setCache) {
    if (cachedBytes <= budget || old === entry) break;
    evict(oldId, old);
  }
}

/** Forgets (and frees) the kept power sets; sets in use are freed when their calls end. Results are unaffected. */
export function clearPowerCache(): void {
  for (const [id, entry] of [...setCache]) evict(id, entry);
}

class PowerSession {
  readonly generator: GeneratorName;
  readonly setup: GeneratorSetup;
  readonly values: boolean;
  readonly key: bigint;
  method: PvalueMethod = 'null';
  nullSource: NullSource | null = null;
  nPerm = 0;
  private sims: Sims | null = null;
  /** The cache entry this session uses (null: the session owns its sims). */
  private entry: CacheEntry | null = null;
  readonly addon: NativeAddon | null;

  constructor(
    readonly scenario: Scenario,
    readonly config: Config,
    readonly direction: Direction,
    pool: EmpiricalPoolSpec | undefined,
    private readonly keepPerSim: boolean,
    /** Keep the sims' sets across evaluations (a bisection evaluates them many times). */
    private readonly keepSets: boolean,
  ) {
    const generator = generatorFor(config.generator, pool, config.verbose);
    this.generator = generator;
    this.setup = generatorSetup(scenario, generator, { vectorize: config.vectorize, pool });
    this.values = valuesFor(generator, config.vectorize);
    this.key = identityKey(config.seed, {
      task: 'power',
      n: scenario.n,
      counts: scenario.counts,
      allDistinct: scenario.allDistinct,
      generator,
      direction,
    });
    this.addon = engine(config);
  }

  /** Chooses the p-value method (spec 04 step 5) and prepares the test and the sims. */
  async prepare(controls: CallControls): Promise<void> {
    const { config, scenario } = this;
    let sortedNull: Float64Array | null = null;
    if (!config.usePermutationPvalue) {
      this.method = 't-approximation';
    } else if (generatorEntry(this.generator).needsValues && !config.empiricalUsePrecomputedNull) {
      this.method = 'monte-carlo';
    } else if (config.pvalueMcOnCacheMiss) {
      const hit = cachedNull(scenario, config);
      this.method = hit ? 'null' : 'monte-carlo';
      if (hit) {
        sortedNull = hit.sortedAbs;
        this.nullSource = hit.source;
      }
    } else {
      this.method = 'null';
    }
    const threads = this.addon ? config.threads : 1;
    const monteCarlo = this.method === 'monte-carlo';
    const nPerm = monteCarlo ? adaptiveNPerm(config.nSims, config.nPerm) : 0;
    const maxChunk = this.addon ? NATIVE_MAX_CHUNK : fallbackMaxChunk(scenario.n, monteCarlo, nPerm);
    // bytes held besides the sims: the null (JS array and the native copy), per-sim outputs
    const fixedBytes = (this.method === 'null' ? 16 * config.nPre : 0) + (this.keepPerSim ? 32 * config.nSims : 0);
    // fail up front (before building a null) if not even one sim fits
    planPowerMemory(scenario.n, config.nSims, monteCarlo, false, threads, config.memoryLimit, fixedBytes, maxChunk);
    if (this.method === 'null' && sortedNull === null) {
      const got = await ensureNull(scenario, config, { signal: controls.signal });
      sortedNull = got.sortedAbs;
      this.nullSource = got.source;
    }
    this.nPerm = nPerm;
    const test: PowerTest = {
      method: this.method,
      alpha: config.alpha,
      sortedNull,
      nPerm: this.nPerm,
      tCrit: this.method === 't-approximation' ? tQuantile(1 - config.alpha / 2, scenario.n - 2) : 0,
    };
    // keep the sims across evaluations when the search asks for it, or when they fit the cache
    const keepPlan = planPowerMemory(scenario.n, config.nSims, monteCarlo, true, threads, config.memoryLimit, fixedBytes, maxChunk);
    const cacheable = keepPlan.keepSets && keepPlan.bytes - fixedBytes <= cacheBudget(config);
    const keepSets = this.keepSets || cacheable;
    const id = cacheable ? this.setIdentity(test, threads) : null;
    const hit = id === null ? undefined : setCache.get(id);
    if (hit) {
      setCache.delete(id!); // re-insert: most recently used last
      setCache.set(id!, hit);
      hit.users++;
      this.entry = hit;
      this.sims = hit.sims;
      return;
    }
    if (this.addon) {
      this.sims = {
        native: this.addon.createPowerSet({
          generator: nativeGeneratorSpec(this.setup),
          counts: Uint32Array.from(scenario.counts),
          powerKey: this.key,
          nSims: config.nSims,
          values: this.values,
          method: METHOD_CODES[test.method],
          alpha: test.alpha,
          sortedNull: sortedNull ?? new Float64Array(0),
          nPerm: test.nPerm,
          tCrit: test.tCrit,
          keepSets,
          threads,
          memoryLimit: config.memoryLimit,
          fixedBytes,
        }),
      };
    } else {
      const plan = planPowerMemory(scenario.n, config.nSims, monteCarlo, keepSets, threads, config.memoryLimit, fixedBytes, maxChunk);
      this.sims = { fallback: new PowerSetFallback(this.setup, scenario.counts, this.key, config.nSims, this.values, test, plan) };
    }
    if (id !== null) {
      this.entry = { sims: this.sims, bytes: keepPlan.bytes - fixedBytes, users: 1, evicted: false, addon: this.addon };
      remember(id, this.entry, cacheBudget(config));
    }
  }

  /** Ends the session: frees its own sims, or lets go of the cached ones. */
  dispose(): void {
    const { sims, entry } = this;
    this.sims = null;
    this.entry = null;
    if (entry) {
      entry.users--;
      if (entry.evicted && entry.users === 0) releaseSims(entry.sims, entry.addon);
    } else if (sims) {
      releaseSims(sims, this.addon);
    }
  }

  /** Everything the sims and their test depend on (the cache key of a kept set). */
  private setIdentity(test: PowerTest, threads: number): string {
    const { setup, config } = this;
    const pool = setup.pool ? createHash('sha256').update(JSON.stringify(setup.pool)).digest('hex') : null;
    return canonicalIdentity({
      key: this.key.toString(16),
      nSims: config.nSims,
      values: this.values,
      rowMoments: setup.rowMoments,
      pool,
      method: test.method,
      alpha: test.alpha,
      nPre: test.sortedNull ? test.sortedNull.length : 0,
      nPerm: test.nPerm,
      tCrit: test.tCrit,
      engine: this.addon ? 'native' : 'typescript',
      threads,
    });
  }

  /** Power at target rho (calibrated to the generator input). */
  async evaluate(
    rho: number,
    controls: CallControls,
    bracket?: SearchBracket,
  ): Promise<PowerPoint & { perSim: PerSimResults | null; regions: Int8Array | null }> {
    const { config } = this;
    const { rhoIn } = await calibratedInput(this.setup, rho, config, { signal: controls.signal });
    const mix = mixAt(this.generator, rhoIn);
    let tally: PowerTally;
    let perSim: PerSimResults | null = null;
    let regions: Int8Array | null = null;
    const sims = this.sims!;
    if (sims.native && this.addon) {
      const set = sims.native;
      const addon = this.addon;
      const request = { mixA: mix.a, mixB: mix.b, keepPerSim: this.keepPerSim, ...(bracket ? { bracketed: true, ...bracket } : {}) };
      let out: Awaited<ReturnType<NativeAddon['powerEvaluate']>>;
      if (config.nSims * this.scenario.n <= SYNC_WORK_LIMIT && drawnSims.has(sims)) {
        // re-evaluating a few hundred kept sims (a bisection step) takes less than an asynchronous
        // job's hand-off; the first evaluation draws them, on all threads
        throwIfAborted(controls.signal);
        out = callSync(() => addon.powerEvaluateSync(set, request));
        controls.onProgress?.(config.nSims, config.nSims);
      } else {
        out = await runJob(addon, config.threads, controls, (token, onProgress) => addon.powerEvaluate(set, request, token, onProgress));
        drawnSims.add(sims);
      }
      tally = out;
      regions = out.regions ?? null;
      if (out.rhoHat && out.p) perSim = { rhoHat: out.rhoHat, p: out.p };
    } else {
      if (this.keepPerSim) perSim = { rhoHat: new Float64Array(config.nSims), p: new Float64Array(config.nSims) };
      tally = await sims.fallback!.evaluate(mix, controls, perSim);
    }
    if (perSim && this.method === 't-approximation') {
      for (let i = 0; i < perSim.p.length; i++) perSim.p[i] = studentTTwoSidedPFromRho(perSim.rhoHat[i]!, this.scenario.n);
    }
    const power = tally.rejections / config.nSims;
    return {
      rho,
      rhoIn,
      power,
      se: Math.sqrt((power * (1 - power)) / config.nSims),
      realisedMeanRho: tally.sumRho / config.nSims,
      perSim,
      regions,
    };
  }

  /**
   * One bisection step at rho: the power only. On the native engine only the sims whose test
   * outcome is not already implied by the bracket's ends are re-evaluated (exact; see
   * native/power.hpp); the fallback evaluates every sim, which gives the same count.
   */
  async searchStep(rho: number, controls: CallControls, bracket: SearchBracket): Promise<{ step: SearchStep; regions: Int8Array | null }> {
    const native = this.sims?.native !== undefined;
    const { perSim: _perSim, realisedMeanRho: _mean, regions, ...step } = await this.evaluate(rho, controls, native ? bracket : undefined);
    return { step, regions };
  }

  engineName(): 'native' | 'typescript' {
    return this.addon ? 'native' : 'typescript';
  }
}

/** How a power result was computed. */
export interface PowerMethodInfo {
  /** y generator actually used (empirical without a pool falls back to nonparametric). */
  generator: GeneratorName;
  /** Direction naming the sims' stream (and the search direction). */
  direction: Direction;
  /** Simulated datasets per evaluation. */
  nSims: number;
  /** Two-sided level; a sim rejects when p < alpha. */
  alpha: number;
  /** How the sims were tested. */
  pvalueMethod: PvalueMethod;
  /** Precomputed null: its size (null otherwise). */
  nPre: number | null;
  /** Precomputed null: where it came from (null otherwise). */
  nullSource: NullSource | null;
  /** Monte Carlo path: permutations per sim (null otherwise). */
  nPerm: number | null;
}

function methodInfo(session: PowerSession): PowerMethodInfo {
  const c = session.config;
  return {
    generator: session.generator,
    direction: session.direction,
    nSims: c.nSims,
    alpha: c.alpha,
    pvalueMethod: session.method,
    nPre: session.method === 'null' ? c.nPre : null,
    nullSource: session.nullSource,
    nPerm: session.method === 'monte-carlo' ? session.nPerm : null,
  };
}

/** Result of {@link estimatePower}. */
export interface PowerEstimate extends PowerPoint, PowerMethodInfo {
  /** The scenario simulated. */
  scenario: ScenarioSummary;
  /** Per-sim values when keepPerSim was set. */
  perSim: PerSimResults | null;
  /** Seed, configuration, version and engine. */
  provenance: Provenance;
}

function checkRho(option: string, rho: unknown): number {
  if (typeof rho !== 'number' || !(rho >= -1 && rho <= 1)) throw rangeError(option, rho, 'a number in [-1, 1]');
  return rho;
}

/**
 * Power of the two-sided Spearman test (reject when p < alpha) at target rho for a scenario:
 * nSims datasets from the (calibrated) generator, p-values by the configured method.
 */
export async function estimatePower(scenarioOrSpec: Scenario | ScenarioSpec, options: PowerOptions & { rho: number }): Promise<PowerEstimate> {
  const scenario = resolveScenario(scenarioOrSpec);
  const config = resolveConfig(options, ESTIMATE_KEYS);
  const controls = checkControls(options);
  const rho = checkRho('rho', (options as { rho?: unknown }).rho);
  const direction = checkDirection(options.direction) ?? (rho < 0 ? 'negative' : 'positive');
  const session = new PowerSession(scenario, config, direction, options.pool, options.keepPerSim === true, false);
  return inSession(session, controls, async () => {
    const point = await session.evaluate(rho, controls);
    return { ...point, ...methodInfo(session), scenario: scenarioSummary(scenario), provenance: provenance(config, session.engineName()) };
  });
}

/** Prepares a session, runs `use`, and always ends the session (its native sims are freed now). */
async function inSession<T>(session: PowerSession, controls: CallControls, use: () => Promise<T>): Promise<T> {
  try {
    await session.prepare(controls);
    return await use();
  } finally {
    session.dispose();
  }
}

/** Controls whose progress reports one evaluation as part of `total` units, after `done`. */
function offsetProgress(controls: CallControls, done: number, total: number): CallControls {
  const { signal, onProgress } = controls;
  return { signal, onProgress: onProgress ? (d: number) => onProgress(done + d, total) : undefined };
}

/** Rows of {@link powerCurve}. */
export interface PowerCurve extends PowerMethodInfo {
  /** The scenario simulated. */
  scenario: ScenarioSummary;
  /** One row per requested rho, in request order. */
  rows: PowerPoint[];
  /** Seed, configuration, version and engine. */
  provenance: Provenance;
}

/**
 * Power at several target rhos (CLI `power --rho 0.2,0.3`). Each rho is an independent
 * {@link estimatePower} (its direction is its sign), so a row equals the single estimate.
 */
export async function powerCurve(
  scenarioOrSpec: Scenario | ScenarioSpec,
  rhos: readonly number[],
  options: Omit<PowerOptions, 'keepPerSim'> = {},
): Promise<PowerCurve> {
  const scenario = resolveScenario(scenarioOrSpec);
  const config = resolveConfig(options, SEARCH_KEYS);
  const controls = checkControls(options);
  if (!Array.isArray(rhos) || rhos.length === 0) throw rangeError('rhos', rhos, 'a non-empty list of numbers in [-1, 1]');
  rhos.forEach((r, i) => checkRho(`rhos[${i}]`, r));
  const rows: PowerPoint[] = [];
  let last: PowerSession | null = null;
  for (const [i, rho] of rhos.entries()) {
    const session = new PowerSession(scenario, config, checkDirection(options.direction) ?? (rho < 0 ? 'negative' : 'positive'), options.pool, false, false);
    const { perSim: _unused, ...point } = await inSession(session, controls, () =>
      session.evaluate(rho, offsetProgress(controls, i * config.nSims, rhos.length * config.nSims)),
    );
    rows.push(point);
    last = session;
  }
  return { ...methodInfo(last!), scenario: scenarioSummary(scenario), rows, provenance: provenance(config, last!.engineName()) };
}

/** The search hit a bound (spec 04): returned, and printed at verbose >= 1. */
export interface BoundaryWarning {
  /** The printed text ("... is at the search boundary ... — widen bounds"). */
  message: string;
  /** Which bound was hit (signed interval: the lower bound of the negative search is -0.42). */
  bound: 'lower' | 'upper';
  /** Its value. */
  boundValue: number;
  /** The search result (within 1e-4 of the bound). */
  result: number;
}

/** Result of {@link minDetectableRho}. */
export interface MinDetectableRhoResult extends PowerMethodInfo {
  /** The scenario simulated. */
  scenario: ScenarioSummary;
  /** Signed minimum detectable rho (negative for the negative direction). */
  minDetectableRho: number;
  /** Power the result reaches. */
  targetPower: number;
  /** Search interval (signed). */
  bounds: [number, number];
  /** The search stops when the interval is narrower than this. */
  tolerance: number;
  /** Every power evaluation of the search, in order. */
  steps: SearchStep[];
  /** Set when the result is within 1e-4 of a bound (and nSims > 50); also printed at verbose >= 1. */
  boundaryWarning: BoundaryWarning | null;
  /** Seed, configuration, version and engine. */
  provenance: Provenance;
}

/**
 * Minimum detectable rho (spec 04): bisection on [0.25, 0.42] (negated for the negative
 * direction) until hi - lo <= 0.49e-4 (12 evaluations), all on the same sims (common random
 * numbers), returning the final midpoint. Warns when the result is within 1e-4 of a bound.
 */
export async function minDetectableRho(
  scenarioOrSpec: Scenario | ScenarioSpec,
  options: Omit<PowerOptions, 'keepPerSim'> = {},
): Promise<MinDetectableRhoResult> {
  const scenario = resolveScenario(scenarioOrSpec);
  const config = resolveConfig(options, SEARCH_KEYS);
  const controls = checkControls(options);
  const direction = checkDirection(options.direction) ?? neededDirection(scenario);
  const session = new PowerSession(scenario, config, direction, options.pool, false, true);
  const positive = direction === 'positive';
  const bounds: [number, number] = positive ? [SEARCH_BOUNDS[0], SEARCH_BOUNDS[1]] : [-SEARCH_BOUNDS[1], -SEARCH_BOUNDS[0]];
  let [lo, hi] = bounds;
  const steps: SearchStep[] = [];
  const target = config.targetPower;
  const totalSteps = Math.ceil(Math.log2((hi - lo) / SEARCH_TOLERANCE));
  await inSession(session, controls, async () => {
    const bracket: SearchBracket = {};
    while (hi - lo > SEARCH_TOLERANCE) {
      const mid = (lo + hi) / 2;
      const { step, regions } = await session.searchStep(mid, offsetProgress(controls, steps.length * config.nSims, totalSteps * config.nSims), bracket);
      steps.push(step);
      const moveLo = positive ? step.power < target : step.power >= target;
      if (moveLo) lo = mid;
      else hi = mid;
      // lo < hi in rho and so in generator input: mid becomes the bracket's lower or upper end
      if (regions) bracket[moveLo ? 'lower' : 'upper'] = regions;
    }
  });
  const result = (lo + hi) / 2;
  let boundaryWarning: BoundaryWarning | null = null;
  if (config.nSims > BOUNDARY_MIN_SIMS) {
    const near = Math.abs(result - bounds[0]) < BOUNDARY_EPS ? 'lower' : Math.abs(result - bounds[1]) < BOUNDARY_EPS ? 'upper' : null;
    if (near) {
      const boundValue = near === 'lower' ? bounds[0] : bounds[1];
      boundaryWarning = {
        message: `${scenario.description}, ${direction}: minimum detectable rho ${result.toFixed(4)} is at the search boundary ${boundValue} — widen bounds`,
        bound: near,
        boundValue,
        result,
      };
      warn(config.verbose, boundaryWarning.message, 'SPEARSIM_BOUNDARY');
    }
  }
  return {
    ...methodInfo(session),
    scenario: scenarioSummary(scenario),
    minDetectableRho: result,
    targetPower: target,
    bounds,
    tolerance: SEARCH_TOLERANCE,
    steps,
    boundaryWarning,
    provenance: provenance(config, session.engineName()),
  };
}

