/**
 * TypeScript twin of native/signal_set.hpp|cc: datasets of the generating process stored as their
 * signal components and evaluated at any mix, the common random numbers under both calibration
 * and power. Dataset i is drawn from Rng(repStreamKey(key, i, STREAM_DATA)) by Generator.drawParts;
 * y is the signal's midranks, or for a generator with a pool the dataset's pool in signal order.
 * @module
 */
import { abortError } from '../errors';
import { Yielder } from '../internal/yielder';
import { storedDatasetBytes, threadScratchBytes } from './constants';
import { rhoFromExact } from '../ranks';
import { Rng } from '../rng';
import { STREAM_DATA, repStreamKey } from '../streams';
import { type DatasetParts, type GeneratorSpec, type Mix, Generator, newDatasetParts } from './generators';

/** Bytes a signal set of `count` datasets of size n needs (twin of native signalSetBytes). */
export function signalSetBytes(n: number, count: number, threads: number): number {
  return storedDatasetBytes(n, count) + Math.max(1, threads) * threadScratchBytes(n);
}

/**
 * Datasets of one generator stored as their signal components, evaluated at any mix (twin of
 * native SignalSet): each dataset's items are kept in (signal, index) order of the last evaluation
 * and re-sorted by insertion, with a full sort when that would move too much. The first
 * evaluation sorts fully where the native set places items by buckets: the same order.
 */
export class SignalSet {
  private readonly gen: Generator;
  private readonly n: number;
  private readonly count: number;
  private readonly poolY: boolean;
  // per dataset (nCal x n), items in (signal, index) order of the last evaluation
  private readonly a: Float64Array;
  private readonly b: Float64Array;
  private readonly xRank2: Int32Array;
  private readonly index: Uint32Array;
  // pool y: doubled centred midrank of the pool value at each position; pool tie sums
  private readonly yRank2: Int32Array;
  private readonly yTies: Float64Array;
  private readonly key: Float64Array;
  private sorted = false;
  private readonly yielder: Yielder;

  /**
   * Datasets firstDataset .. firstDataset + count - 1 of `key` (dataset i from
   * Rng(repStreamKey(key, i, STREAM_DATA))).
   */
  constructor(
    setup: GeneratorSpec,
    private readonly streamKey: bigint,
    count: number,
    private readonly abortSignal?: AbortSignal,
    private readonly firstDataset = 0,
    deferDraws = false,
  ) {
    this.yielder = new Yielder(abortSignal);
    this.gen = new Generator(setup);
    const n = this.gen.n;
    this.n = n;
    this.count = count;
    this.poolY = this.gen.entry.needsPool;
    this.a = new Float64Array(count * n);
    this.b = new Float64Array(count * n);
    this.xRank2 = new Int32Array(count * n);
    this.index = new Uint32Array(count * n);
    this.yRank2 = new Int32Array(this.poolY ? count * n : 0);
    this.yTies = new Float64Array(this.poolY ? count : 0);
    this.key = new Float64Array(n);
    if (deferDraws) return;
    const parts = newDatasetParts(n);
    for (let i = 0; i < count; i++) this.drawDataset(i, parts);
  }

  /**
   * A set whose datasets are drawn with pauses for the event loop (so an abort lands within
   * ~15 ms even for a large nCal); the same datasets as the constructor draws.
   */
  static async create(setup: GeneratorSpec, key: bigint, count: number, abortSignal?: AbortSignal, firstDataset = 0): Promise<SignalSet> {
    const set = new SignalSet(setup, key, count, abortSignal, firstDataset, true);
    const parts = newDatasetParts(set.n);
    for (let i = 0; i < count; i++) {
      set.drawDataset(i, parts);
      if ((i & 255) === 255 && set.yielder.due()) await set.yielder.pause();
    }
    if (abortSignal?.aborted) throw abortError(abortSignal);
    return set;
  }

  /** Draws dataset i's parts from its data stream into the set. */
  private drawDataset(i: number, parts: DatasetParts): void {
    const n = this.n;
    {
      this.gen.drawParts(new Rng(repStreamKey(this.streamKey, this.firstDataset + i, STREAM_DATA)), parts);
      const at = i * n;
      this.a.set(parts.a, at);
      this.b.set(parts.b, at);
      this.xRank2.set(parts.xRank2, at);
      for (let j = 0; j < n; j++) this.index[at + j] = j;
      if (this.poolY) {
        let ties = 0;
        for (let p = 0; p < n; ) {
          let q = p + 1;
          while (q < n && parts.pool[q] === parts.pool[p]) q++;
          this.yRank2.fill(p + q - n, at + p, at + q);
          const size = q - p;
          ties += size * size * size - size;
          p = q;
        }
        this.yTies[i] = ties;
      }
    }
  }

  /** Sorts dataset `at`'s items by (key, index); key holds the keys of the current positions. */
  private sortFully(at: number): void {
    const n = this.n;
    const key = this.key;
    const index = this.index;
    const perm = new Uint32Array(n);
    for (let t = 0; t < n; t++) perm[t] = t;
    perm.sort((p, q) => key[p]! - key[q]! || index[at + p]! - index[at + q]!);
    const a = this.a.slice(at, at + n);
    const b = this.b.slice(at, at + n);
    const xr = this.xRank2.slice(at, at + n);
    const ix = index.slice(at, at + n);
    const keys = key.slice();
    for (let t = 0; t < n; t++) {
      const p = perm[t]!;
      this.a[at + t] = a[p]!;
      this.b[at + t] = b[p]!;
      this.xRank2[at + t] = xr[p]!;
      index[at + t] = ix[p]!;
      key[t] = keys[p]!;
    }
  }

  private datasetRho(i: number, mixA: number, mixB: number, first: boolean): number {
    const n = this.n;
    const at = i * n;
    const { a, b, xRank2: xr, index, key } = this;
    for (let t = 0; t < n; t++) key[t] = a[at + t]! * mixA + b[at + t]! * mixB;

    const maxShifts = first ? 0 : 10 * n;
    let shifts = 0;
    let tied = false;
    for (let k = 1; k < n && shifts <= maxShifts; k++) {
      const kv = key[k]!;
      if (kv > key[k - 1]!) continue;
      const av = a[at + k]!;
      const bv = b[at + k]!;
      const xv = xr[at + k]!;
      const v = index[at + k]!;
      let j = k;
      while (j > 0 && (kv < key[j - 1]! || (kv === key[j - 1]! && v < index[at + j - 1]!))) {
        key[j] = key[j - 1]!;
        a[at + j] = a[at + j - 1]!;
        b[at + j] = b[at + j - 1]!;
        xr[at + j] = xr[at + j - 1]!;
        index[at + j] = index[at + j - 1]!;
        j--;
      }
      shifts += k - j;
      key[j] = kv;
      a[at + j] = av;
      b[at + j] = bv;
      xr[at + j] = xv;
      index[at + j] = v;
      tied = tied || (j > 0 && key[j - 1] === kv) || (j < k && key[j + 1] === kv);
    }
    if (shifts > maxShifts) {
      this.sortFully(at);
      tied = false;
      for (let t = 1; t < n; t++) tied = tied || key[t] === key[t - 1];
    }

    let sxy4 = 0;
    let tiesY = 0;
    if (this.poolY) {
      for (let t = 0; t < n; t++) sxy4 += this.yRank2[at + t]! * xr[at + t]!;
      tiesY = this.yTies[i]!;
    } else if (!tied) {
      let weighted = 0;
      for (let t = 0; t < n; t++) weighted += t * xr[at + t]!;
      sxy4 = 2 * weighted;
    } else {
      for (let p = 0; p < n; ) {
        let q = p + 1;
        while (q < n && key[q] === key[p]) q++;
        let sumX = 0;
        for (let t = p; t < q; t++) sumX += xr[at + t]!;
        sxy4 += (p + q - n) * sumX;
        const size = q - p;
        tiesY += size * size * size - size;
        p = q;
      }
    }
    const rho = rhoFromExact(sxy4, n, this.gen.xTies, tiesY);
    return Number.isNaN(rho) ? 0.0 : rho;
  }

  /** Number of datasets. */
  get size(): number {
    return this.count;
  }

  /** The generator of the datasets. */
  get generator(): Generator {
    return this.gen;
  }

  /** Spearman of every dataset at `mix`, in dataset order (constant y counts as 0). */
  datasetRhos(mix: Mix, out: Float64Array): void {
    for (let i = 0; i < this.count; i++) out[i] = this.datasetRho(i, mix.a, mix.b, !this.sorted);
    this.sorted = true;
  }

  /** datasetRhos with pauses for the event loop, so that an abort can land. */
  async datasetRhosYielding(mix: Mix, out: Float64Array): Promise<void> {
    if (this.yielder.due()) await this.yielder.pause();
    if (this.abortSignal?.aborted) throw abortError(this.abortSignal);
    const first = !this.sorted;
    for (let i = 0; i < this.count; i++) {
      out[i] = this.datasetRho(i, mix.a, mix.b, first);
      if ((i & 255) === 255 && this.yielder.due()) await this.yielder.pause();
    }
    this.sorted = true;
  }
}
