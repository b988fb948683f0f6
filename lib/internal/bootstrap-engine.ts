/**
 * The batch percentile bootstrap, on the native kernel or its TypeScript mirror.
 *
 * A dataset source fills rep r's (x, y); each rep's bootstrap stream is split into blocks of
 * RESAMPLES_PER_STREAM resamples with one child stream each, and the boot-index buffer holds
 * `chunkResamples` resamples at a time. Results depend on neither the thread count, the chunk
 * size, the engine, nor on batch vs per-rep calls.
 *
 * Over 400 lines on purpose: the memory plan, the native dispatch and the TypeScript mirror of the
 * batch kernel share one set of stream and chunk rules, and splitting them would scatter the one
 * place a reader checks that both engines follow those rules.
 * @internal
 * @module
 */
import { SpearsimError, throwIfAborted } from '../errors';
import { Yielder } from './yielder';
import type { CallControls, Config } from '../config';
import { ResampleIndexStream, childKey } from '../rng';
import { rhoFromExact, spearmanOf, stableOrder } from '../ranks';
import { MC_SE_Z } from '../kernels/constants';
import { STREAM_BOOT, repStreamKey } from '../streams';
import { threadsForWork } from './threads';
import { type CancelToken, type NativeAddon, type NativeBootstrapSpec, type NativeRepArrays, type ProgressCallback, type RepArrays, addonFor, runJob } from './native';

/**
 * Resampled items (resamples x n) per kernel thread: up to about 1e5 items a second thread costs
 * its start and hand-off and saves little or nothing (n = 100, 1000 resamples: 0.20 ms on 1
 * thread, 0.18-0.20 ms on 2); from 2e5 it pays (n = 100, 2000: 0.31 vs 0.25 ms; 1e4: 1.41 vs
 * 0.81 ms). Measured by `node bench/run.js --only jobsize`.
 */
const RESAMPLED_ITEMS_PER_THREAD = 100_000;

/** Resamples per child stream of a rep's bootstrap stream (native kResamplesPerStream). */
export const RESAMPLES_PER_STREAM = 256;

/** Where the datasets of a batch bootstrap come from. */
export interface BootstrapSource {
  /** Dataset size. */
  readonly n: number;
  /** Bytes the native job copies from JS for its inputs (counted against memoryLimit). */
  readonly inputBytes: number;
  /** TypeScript fallback: writes dataset `streamRep` into x and y. */
  fill(streamRep: number, x: Float64Array, y: Float64Array): void;
  /** Native: starts the job for reps [spec.repOffset, spec.repOffset + spec.nReps). */
  startNative(
    addon: NativeAddon,
    spec: NativeBootstrapSpec & { nReps: number },
    token: CancelToken | null,
    onProgress: ProgressCallback,
  ): Promise<NativeRepArrays>;
}

export interface BootstrapRunSpec {
  nReps: number;
  nBoot: number;
  alpha: number;
  baseKey: bigint;
  /** Also return every resample's rho (RepArrays.rhos), e.g. for BCa intervals. */
  keepRhos?: boolean;
  /**
   * Start at stream block `firstBlock` (default 0): each rep's resamples [RESAMPLES_PER_STREAM x
   * firstBlock, + nBoot), the tail of a longer run (extending a bootstrap without redrawing it).
   */
  firstBlock?: number;
  /** Also return the Monte Carlo SE of each rep's percentiles (RepArrays.loSe, hiSe). */
  endpointSe?: boolean;
}

/** Memory a run needs, in bytes, for a boot-index chunk of `chunk` resamples. */
export function bootstrapBytes(n: number, nBoot: number, nReps: number, threads: number, inputBytes: number, chunk: number): number {
  const outputs = nReps * 64; // native summaries and their JS copies
  const repBytes = nBoot * 8 + n * 64; // a rep's resample values and prepared dataset
  // per thread: its rep, the boot-index chunk, scratch
  const perThread = repBytes + chunk * n * 4 + 65536;
  // the last reps, one per thread, run block by block when there are many reps of several blocks
  // (bootstrapBatch in native/bootstrap.cc), each holding a rep of its own
  const splitReps = threads > 1 && nReps >= 2 * threads && nBoot > RESAMPLES_PER_STREAM ? threads : 0;
  return inputBytes + outputs + threads * perThread + splitReps * repBytes;
}

/** Chooses the boot-index chunk from the memory limit, or fails up front naming limit and need. */
export function planChunk(n: number, nBoot: number, nReps: number, inputBytes: number, config: Config): number {
  const minimal = bootstrapBytes(n, nBoot, nReps, config.threads, inputBytes, 1);
  if (config.memoryLimit < minimal) {
    throw new SpearsimError(
      'ERR_MEMORY_LIMIT',
      `memoryLimit ${config.memoryLimit} bytes cannot hold one bootstrap chunk: ${minimal} bytes are needed ` +
        `(n=${n}, nBoot=${nBoot}, nReps=${nReps}, threads=${config.threads}); raise memoryLimit or lower the sizes or threads`,
      { option: 'memoryLimit', value: config.memoryLimit, expected: `at least ${minimal} bytes` },
    );
  }
  const fit = 1 + Math.floor((config.memoryLimit - minimal) / (config.threads * n * 4));
  const chunk = Math.min(fit, RESAMPLES_PER_STREAM);
  return config.chunkResamples > 0 ? Math.min(chunk, config.chunkResamples) : chunk;
}

/** What runBootstrap returns. */
export interface BootstrapRun {
  reps: RepArrays;
  chunkResamples: number;
  engine: 'native' | 'typescript';
  /** Native engine: milliseconds inside the C++ kernel, summed over its calls (for the benchmarks). */
  kernelMs?: number;
}

/** Runs the bootstrap for every rep of `source`. */
export async function runBootstrap(
  source: BootstrapSource,
  spec: BootstrapRunSpec,
  config: Config,
  controls: CallControls,
): Promise<BootstrapRun> {
  // kept resample values: the native buffer and its JS copy
  const keptBytes = spec.keepRhos ? 16 * spec.nReps * spec.nBoot : 0;
  const chunkResamples = planChunk(source.n, spec.nBoot, spec.nReps, source.inputBytes + keptBytes, config);
  const addon = addonFor(config);
  if (!addon) {
    return { reps: await bootstrapFallback(source, spec, chunkResamples, controls), chunkResamples, engine: 'typescript' };
  }
  // the memory plan counts config.threads (an upper bound); a small job runs on fewer
  const perRep = !(config.batchBootstrap && config.vectorize);
  const threads = threadsForWork(config.threads, (perRep ? 1 : spec.nReps) * spec.nBoot * source.n, RESAMPLED_ITEMS_PER_THREAD);
  const base = {
    nBoot: spec.nBoot, alpha: spec.alpha, baseKey: spec.baseKey, chunkResamples, threads,
    ...(spec.keepRhos ? { keepRhos: true } : {}),
    ...(spec.firstBlock ? { firstBlock: spec.firstBlock } : {}),
    ...(spec.endpointSe ? { endpointSe: true } : {}),
  };
  if (!perRep) {
    const run = await runJob(addon, threads, controls, (token, onProgress) =>
      source.startNative(addon, { ...base, repOffset: 0, nReps: spec.nReps }, token, onProgress),
    );
    const reps = repArraysOf(run);
    checkKept(reps, spec);
    return { reps, chunkResamples, engine: 'native', kernelMs: run.kernelMs };
  }
  // per-rep path: one native call per rep (the reference's BATCH_CI_BOOTSTRAP = False)
  const reps = allocateReps(spec);
  const total = spec.nReps * spec.nBoot;
  let kernelMs = 0;
  for (let r = 0; r < spec.nReps; r++) {
    const done = r * spec.nBoot;
    const one = await runJob(addon, threads, { signal: controls.signal }, (token) =>
      source.startNative(addon, { ...base, repOffset: r, nReps: 1 }, token, null),
    );
    checkKept(one, { ...spec, nReps: 1 });
    copyRep(one, 0, reps, r, spec.nBoot);
    kernelMs += one.kernelMs;
    controls.onProgress?.(done + spec.nBoot, total);
  }
  return { reps, chunkResamples, engine: 'native', kernelMs };
}

/** The per-rep arrays of a native run without its timing, which is no result (same bits on every run and engine). */
function repArraysOf({ kernelMs: _timing, ...reps }: NativeRepArrays): RepArrays {
  return reps;
}

function allocateReps({ nReps, nBoot, keepRhos, endpointSe }: BootstrapRunSpec): RepArrays {
  return {
    lo: new Float64Array(nReps),
    hi: new Float64Array(nReps),
    rhoHat: new Float64Array(nReps),
    dropped: new Uint32Array(nReps),
    ...(keepRhos ? { rhos: new Float64Array(nReps * nBoot) } : {}),
    ...(endpointSe ? { loSe: new Float64Array(nReps), hiSe: new Float64Array(nReps) } : {}),
  };
}

function copyRep(from: RepArrays, i: number, to: RepArrays, j: number, nBoot: number): void {
  to.lo[j] = from.lo[i]!;
  to.hi[j] = from.hi[i]!;
  to.rhoHat[j] = from.rhoHat[i]!;
  to.dropped[j] = from.dropped[i]!;
  if (to.rhos && from.rhos) to.rhos.set(from.rhos.subarray(i * nBoot, (i + 1) * nBoot), j * nBoot);
  if (to.loSe && from.loSe) to.loSe[j] = from.loSe[i]!;
  if (to.hiSe && from.hiSe) to.hiSe[j] = from.hiSe[i]!;
}

/** A source whose native job ignores keepRhos must not pass silently. */
function checkKept(reps: RepArrays, spec: BootstrapRunSpec): void {
  if (spec.keepRhos && reps.rhos?.length !== spec.nReps * spec.nBoot) {
    throw new SpearsimError('ERR_INTERNAL', 'the native bootstrap job did not return the resample values (keepRhos)');
  }
}

/** Averaged CI over reps (docs/methods.md, "Bootstrap confidence intervals"): means and sample SDs of the endpoints, mean rho-hat. */
export interface RepSummaryStats {
  /** Mean lower endpoint over reps (the expected lower CI limit). */
  ciLower: number;
  /** Mean upper endpoint over reps. */
  ciUpper: number;
  /** Sample SD of the lower endpoints over reps (divisor nReps - 1; 0 for one rep). */
  ciLowerSd: number;
  /** Sample SD of the upper endpoints over reps. */
  ciUpperSd: number;
  /** Sample SD of the widths (upper - lower) over reps. */
  ciWidthSd: number;
  /** Mean over reps of each dataset's own rho. */
  meanRhoHat: number;
  /** Monte Carlo SE of ciLower: its SD over the reps with an interval / sqrt(their count). */
  ciLowerSe: number;
  /** Monte Carlo SE of ciUpper. */
  ciUpperSe: number;
  /** Monte Carlo SE of meanRhoHat. */
  meanRhoHatSe: number;
  /** Degenerate resamples dropped over all reps. */
  dropped: number;
  /** Reps without any valid resample (excluded from the endpoint means). */
  repsWithoutInterval: number;
}

function meanAndSd(values: Float64Array): { mean: number; sd: number; se: number; count: number } {
  let sum = 0;
  let count = 0;
  for (const v of values) {
    if (!Number.isNaN(v)) {
      sum += v;
      count++;
    }
  }
  const mean = count > 0 ? sum / count : NaN;
  let ss = 0;
  for (const v of values) if (!Number.isNaN(v)) ss += (v - mean) * (v - mean);
  const sd = count > 1 ? Math.sqrt(ss / (count - 1)) : 0;
  return { mean, sd, se: count > 0 ? sd / Math.sqrt(count) : NaN, count };
}

/** Summarises per-rep results in rep order (so every engine and path gives the same bits). */
export function summariseReps(reps: RepArrays): RepSummaryStats {
  const lo = meanAndSd(reps.lo);
  const hi = meanAndSd(reps.hi);
  const width = meanAndSd(reps.hi.map((h, r) => h - reps.lo[r]!));
  const rhoHat = meanAndSd(reps.rhoHat);
  let dropped = 0;
  for (const d of reps.dropped) dropped += d;
  return {
    ciLower: lo.mean,
    ciUpper: hi.mean,
    ciLowerSd: lo.sd,
    ciUpperSd: hi.sd,
    ciWidthSd: width.sd,
    meanRhoHat: rhoHat.mean,
    ciLowerSe: lo.se,
    ciUpperSe: hi.se,
    meanRhoHatSe: rhoHat.se,
    dropped,
    repsWithoutInterval: reps.lo.length - lo.count,
  };
}

// ---------------------------------------------------------------------------------------------
// TypeScript mirror of native/bootstrap.cc

/**
 * One dataset arranged for resampling (mirror of PreparedPair). A resample index u names the u-th
 * item in x-major order: items by ascending x, equal x by ascending y position.
 */
export class PreparedPair {
  readonly n: number;
  readonly xGroups: number;
  readonly yTieFree: boolean;
  readonly rhoHat: number;
  /** Resample index (x-major) -> position in ascending-y order. */
  readonly positionOfDraw: Uint32Array;
  readonly yGroupEnd: Uint32Array;
  readonly xGroupAtPosition: Uint32Array;

  constructor(x: Float64Array, y: Float64Array) {
    const n = x.length;
    this.n = n;
    const order = stableOrder(y);
    const ends: number[] = [];
    for (let p = 0; p < n; p++) {
      if (p + 1 === n || y[order[p + 1]!] !== y[order[p]!]) ends.push(p + 1);
    }
    this.yGroupEnd = Uint32Array.from(ends);
    this.yTieFree = ends.length === n;

    // y positions stably sorted by x
    const xInYOrder = Float64Array.from(order, (item) => x[item]!);
    this.positionOfDraw = Uint32Array.from(stableOrder(xInYOrder));
    this.xGroupAtPosition = new Uint32Array(n);
    let groups = 0;
    for (let u = 0; u < n; u++) {
      if (u > 0 && xInYOrder[this.positionOfDraw[u]!] !== xInYOrder[this.positionOfDraw[u - 1]!]) groups++;
      this.xGroupAtPosition[this.positionOfDraw[u]!] = groups;
    }
    this.xGroups = groups + 1;
    this.rhoHat = spearmanOf(x, y);
  }
}

/** Per-run scratch (mirror of ResampleWorkspace). */
class ResampleWorkspace {
  readonly weight: Uint32Array;
  readonly groupRankSum: Float64Array;
  readonly groupCount: Float64Array;
  readonly indices: Uint32Array;
  constructor(n: number, xGroups: number, chunk: number) {
    this.weight = new Uint32Array(n);
    this.groupRankSum = new Float64Array(xGroups);
    this.groupCount = new Float64Array(xGroups);
    this.indices = new Uint32Array(chunk * n);
  }
}

/** Spearman values of `count` resamples whose resample indices are rows of `idx`. */
export function resampleRhos(d: PreparedPair, idx: Uint32Array, count: number, out: Float64Array, outOffset: number, ws: ResampleWorkspace): void {
  const n = d.n;
  const w = ws.weight;
  const rankSum = ws.groupRankSum;
  const groupCount = ws.groupCount;
  const pos = d.positionOfDraw;
  const group = d.xGroupAtPosition;
  for (let b = 0; b < count; b++) {
    const row = b * n;
    for (let t = 0; t < n; t++) w[pos[idx[row + t]!]!]!++;
    let cum = 0;
    let cubes = 0;
    if (d.yTieFree) {
      for (let p = 0; p < n; p++) {
        const wp = w[p]!;
        const g = group[p]!;
        rankSum[g] = rankSum[g]! + wp * (2 * cum + wp - n);
        groupCount[g] = groupCount[g]! + wp;
        cubes += wp * wp * wp;
        cum += wp;
        w[p] = 0;
      }
    } else {
      let start = 0;
      for (const end of d.yGroupEnd) {
        let total = 0;
        for (let p = start; p < end; p++) total += w[p]!;
        const r2 = 2 * cum + total - n;
        for (let p = start; p < end; p++) {
          const wp = w[p]!;
          const g = group[p]!;
          rankSum[g] = rankSum[g]! + wp * r2;
          groupCount[g] = groupCount[g]! + wp;
          w[p] = 0;
        }
        cubes += total * total * total;
        cum += total;
        start = end;
      }
    }
    let cumX = 0;
    let sxy4 = 0;
    let tieX = 0;
    for (let g = 0; g < d.xGroups; g++) {
      const c = groupCount[g]!;
      sxy4 += (2 * cumX + c - n) * rankSum[g]!;
      tieX += c * c * c - c;
      cumX += c;
      rankSum[g] = 0;
      groupCount[g] = 0;
    }
    out[outOffset + b] = rhoFromExact(sxy4, n, tieX, cubes - n);
  }
}

/** Type-7 quantile of sorted values (mirror of type7 in native/bootstrap.cc). */
export function quantileType7Sorted(sorted: Float64Array, q: number): number {
  const m = sorted.length;
  const h = (m - 1) * q;
  const f = Math.floor(h);
  const a = sorted[f]!;
  if (f + 1 >= m) return a;
  return a + (h - f) * (sorted[f + 1]! - a);
}

/**
 * Monte Carlo standard error of the type-7 quantile at level q of m resample values sorted
 * ascending, by the order-statistic rule: the quantile's 95 % band runs from the values at levels
 * q -+ z sqrt(q (1 - q) / m), z = MC_SE_Z, so SE = (Q(q + z s) - Q(q - z s)) / (2 z), with no
 * density estimate (docs/methods.md, "Real data"); levels clipped to [0, 1]. 0 where the resamples
 * are tied across the band; NaN below 2 values. The native percentilePair computes the same bits.
 */
export function quantileMcSe(sorted: Float64Array, q: number): number {
  const m = sorted.length;
  if (m < 2) return NaN;
  const s = MC_SE_Z * Math.sqrt((q * (1 - q)) / m);
  return (quantileType7Sorted(sorted, Math.min(1, q + s)) - quantileType7Sorted(sorted, Math.max(0, q - s))) / (2 * MC_SE_Z);
}

/** Percentiles at qLo and qHi of the non-NaN values, their Monte Carlo SEs, and how many NaNs were dropped. */
export function percentilePair(values: Float64Array, qLo: number, qHi: number): { lo: number; hi: number; loSe: number; hiSe: number; dropped: number } {
  const valid = values.filter((v) => !Number.isNaN(v)).sort();
  const dropped = values.length - valid.length;
  if (valid.length === 0) return { lo: NaN, hi: NaN, loSe: NaN, hiSe: NaN, dropped };
  return { lo: quantileType7Sorted(valid, qLo), hi: quantileType7Sorted(valid, qHi), loSe: quantileMcSe(valid, qLo), hiSe: quantileMcSe(valid, qHi), dropped };
}

/**
 * Spearman values of resamples [RESAMPLES_PER_STREAM x firstBlock, + nBoot) of one rep (blocks of
 * RESAMPLES_PER_STREAM, chunked index buffer). `afterBlock` runs after each block (the fallback
 * yields to the event loop there).
 */
export async function repResampleRhos(
  d: PreparedPair,
  bootKey: bigint,
  nBoot: number,
  chunk: number,
  afterBlock: (resamplesDone: number) => Promise<void> = async () => {},
  firstBlock = 0,
): Promise<Float64Array> {
  const rhos = new Float64Array(nBoot);
  const ws = new ResampleWorkspace(d.n, d.xGroups, chunk);
  const blocks = Math.ceil(nBoot / RESAMPLES_PER_STREAM);
  for (let j = 0; j < blocks; j++) {
    const stream = new ResampleIndexStream(childKey(bootKey, firstBlock + j), d.n);
    const length = Math.min(RESAMPLES_PER_STREAM, nBoot - j * RESAMPLES_PER_STREAM);
    for (let done = 0; done < length; done += chunk) {
      const count = Math.min(chunk, length - done);
      const total = count * d.n;
      for (let t = 0; t < total; t++) ws.indices[t] = stream.next();
      resampleRhos(d, ws.indices, count, rhos, j * RESAMPLES_PER_STREAM + done, ws);
    }
    await afterBlock(j * RESAMPLES_PER_STREAM + length);
  }
  return rhos;
}

async function bootstrapFallback(source: BootstrapSource, spec: BootstrapRunSpec, chunk: number, controls: CallControls): Promise<RepArrays> {
  const { signal, onProgress } = controls;
  const reps = allocateReps(spec);
  const x = new Float64Array(source.n);
  const y = new Float64Array(source.n);
  const qLo = spec.alpha / 2;
  const qHi = 1 - spec.alpha / 2;
  const total = spec.nReps * spec.nBoot;
  const yielder = new Yielder(signal);
  for (let r = 0; r < spec.nReps; r++) {
    source.fill(r, x, y);
    const d = new PreparedPair(x, y);
    // yields between stream blocks too, so one large rep does not hold the event loop
    const rhos = await repResampleRhos(d, repStreamKey(spec.baseKey, r, STREAM_BOOT), spec.nBoot, chunk, async (done) => {
      if (!yielder.due()) return;
      onProgress?.(r * spec.nBoot + done, total);
      await yielder.pause();
    }, spec.firstBlock);
    reps.rhos?.set(rhos, r * spec.nBoot);
    const { lo, hi, loSe, hiSe, dropped } = percentilePair(rhos, qLo, qHi);
    reps.lo[r] = lo;
    reps.hi[r] = hi;
    if (reps.loSe && reps.hiSe) {
      reps.loSe[r] = loSe;
      reps.hiSe[r] = hiSe;
    }
    reps.rhoHat[r] = d.rhoHat;
    reps.dropped[r] = dropped;
  }
  onProgress?.(total, total);
  throwIfAborted(signal);
  return reps;
}
