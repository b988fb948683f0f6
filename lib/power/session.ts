/**
 * A power session: one scenario, generator, test and set of sims, evaluated at any target rho on
 * either engine. Streams: the key is identityKey(seed, {task: 'power', n, counts, allDistinct,
 * generator, direction}); sim i is dataset i of its data streams.
 * @module
 */
import { createHash } from 'node:crypto';
import type { Direction } from '../asymptotic';
import { calibratedInput } from '../calibration';
import type { CallControls, Config, GeneratorName } from '../config';
import { throwIfAborted } from '../errors';
import { type EmpiricalPoolSpec, type GeneratorSetup, generatorFor, generatorSetup, mixAt, nativeGeneratorSpec, valuesFor } from '../generators';
import { type NativeAddon, callSync, addonFor, runJob } from '../internal/native';
import { generatorEntry } from '../kernels/generators/table';
import {
  NATIVE_MAX_CHUNK, type PerSimResults, PowerSet, type PowerTally, type PowerTest, type PvalueMethod, fallbackMaxChunk, planPowerMemory,
} from '../kernels/power';
import { tQuantile } from '../noncentral-t';
import { type NullSource, adaptiveNPerm, cachedNull, ensureNull, studentTTwoSidedPFromRho } from '../pvalues';
import type { Scenario } from '../scenario';
import { type StreamIdentity, canonicalIdentity, identityKey } from '../streams';
import { type CacheEntry, type Sims, cacheBudget, cachedSims, drawnSims, releaseSims, remember } from './set-cache';

const METHOD_CODES: Readonly<Record<PvalueMethod, number>> = { null: 0, 'monte-carlo': 1, 't-approximation': 2 };
/**
 * Evaluations of at most this many rank operations (nSims x n) run synchronously on one kernel
 * thread: at most ~2 ms even when the sims are drawn, shorter than handing a job to the thread
 * pool and back. Results do not depend on the path (or the thread count).
 */
const SYNC_WORK_LIMIT = 50_000;

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
export interface SearchBracket {
  lower?: Int8Array;
  upper?: Int8Array;
}

/** One scenario, generator, test and set of sims, evaluated at any target rho. */
export class PowerSession {
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
    /** Names the sims' streams instead of the scenario's n and counts (PowerOptions.streamIdentity). */
    streamIdentity?: StreamIdentity,
  ) {
    const generator = generatorFor(config.generator, pool, config.verbose);
    this.generator = generator;
    this.setup = generatorSetup(scenario, generator, { vectorize: config.vectorize, pool });
    this.values = valuesFor(generator, config.vectorize);
    this.key = identityKey(
      config.seed,
      streamIdentity ?? { task: 'power', n: scenario.n, counts: scenario.counts, allDistinct: scenario.allDistinct, generator, direction },
    );
    this.addon = addonFor(config);
  }

  /** Chooses the p-value method (docs/methods.md, "P-values and power") and prepares the test and the sims. */
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
    const hit = id === null ? undefined : cachedSims(id);
    if (hit) {
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
      this.sims = { fallback: new PowerSet(this.setup, scenario.counts, this.key, config.nSims, this.values, test, plan) };
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
      counts: this.scenario.counts,
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
    userTarget = false,
  ): Promise<PowerPoint & { perSim: PerSimResults | null; regions: Int8Array | null }> {
    const { config } = this;
    const { rhoIn } = await calibratedInput(this.setup, rho, config, { signal: controls.signal }, userTarget);
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
  /** y generator actually used (one that needs a pool falls back to nonparametric without one). */
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

export function methodInfo(session: PowerSession): PowerMethodInfo {
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

