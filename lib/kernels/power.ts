/**
 * TypeScript twin of native/power.hpp|cc: the memory plan of a power evaluation and the sims of
 * one scenario, generator and test, evaluated at any generator input. Sim i is dataset i of the
 * power key's data streams (the calibration datasets' layout), held in SignalSets; Monte Carlo
 * p-values regenerate each dataset and draw permutations from the sim's third stream. Both
 * engines give the same bits. docs/methods.md, "P-values and power".
 * @module
 */
import type { CallControls } from '../config';
import { SpearsimError, throwIfAborted } from '../errors';
import { Yielder } from '../internal/yielder';
import { PermutationLayout, STREAM_PERM, mcPermutationPvalue, nullPvalue, tStatistic } from '../pvalues';
import { doubledCentredRanks, rhoFromExact } from '../ranks';
import { Rng } from '../rng';
import { STREAM_DATA, repStreamKey } from '../streams';
import { threadScratchBytes } from './constants';
import { type GeneratorSpec, type Mix, Generator, newDatasetParts } from './generators';
import { SignalSet, signalSetBytes } from './signal-set';

/** How the sims are tested: the precomputed null, Monte Carlo permutations, or the t approximation. */
export type PvalueMethod = 'null' | 'monte-carlo' | 't-approximation';

export { NATIVE_MAX_CHUNK } from './constants';

/**
 * Largest chunk of sims of the TypeScript twin, which yields to the event loop between chunks:
 * about 20 000 rank operations per chunk (a few ms), and Monte Carlo chunks sized by their
 * permutations (n x nPerm work per sim).
 */
export function fallbackMaxChunk(n: number, monteCarlo: boolean, nPerm: number): number {
  return Math.max(1, Math.floor(monteCarlo ? 2_500_000 / (n * nPerm) : 20_480 / n));
}

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

/** Bytes of one sim's outputs (rho-hat and p). */
const SIM_OUTPUT_BYTES = 16;

/**
 * Twin of native planPowerMemory: keep every chunk's set across evaluations if wanted and all
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
  const base = monteCarlo ? t * threadScratchBytes(n) : signalSetBytes(n, 0, t);
  const perSim = SIM_OUTPUT_BYTES + (monteCarlo ? 0 : signalSetBytes(n, 1, t) - signalSetBytes(n, 0, t));
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
    const all = fixedBytes + cap * SIM_OUTPUT_BYTES + full * signalSetBytes(n, cap, t) + (rest > 0 ? signalSetBytes(n, rest, t) : 0);
    if (all <= memoryLimit) return { chunkSims: cap, keepSets: true, bytes: all, minimalBytes: minimal };
  }
  const chunk = Math.min(cap, Math.floor((memoryLimit - fixedBytes - base) / perSim));
  return { chunkSims: chunk, keepSets: false, bytes: fixedBytes + base + chunk * perSim, minimalBytes: minimal };
}

/** How one evaluation tests its sims (twin of native PowerTest). */
export interface PowerTest {
  method: PvalueMethod;
  alpha: number;
  sortedNull: Float64Array | null;
  nPerm: number;
  tCrit: number;
}

/** Rejections and rho-hat sum (in sim order) of one evaluation. */
export interface PowerTally {
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

/** The sims of one scenario, generator and test (twin of native PowerSet). */
export class PowerSet {
  private readonly gen: Generator;
  private readonly layout: PermutationLayout;
  private readonly sets: SignalSet[] = [];

  constructor(
    private readonly setup: GeneratorSpec,
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
      if (this.sets.length <= chunk) this.sets.push(new SignalSet(this.setup, this.key, count, signal, first));
      this.sets[chunk]!.datasetRhos(mix, rho);
      return;
    }
    new SignalSet(this.setup, this.key, count, signal, first).datasetRhos(mix, rho);
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
      if (Number.isNaN(r)) r = 0; // constant y counts as 0, as in the set path (docs/methods.md, "P-values and power")
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

